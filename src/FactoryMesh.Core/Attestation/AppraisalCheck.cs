namespace FactoryMesh.Core.Attestation;

/// <summary>The check an attestation failed; <see cref="None"/> when it passed. Each rejection names exactly one.</summary>
public enum AppraisalCheck
{
    /// <summary>Every check passed.</summary>
    None,

    /// <summary>The evidence format is not one FactoryMesh knows.</summary>
    UnknownFormat,

    /// <summary>The format is known but this deployment configured no verifier (roots, issuers) for it.</summary>
    NoVerifierConfigured,

    /// <summary>The evidence is not a well-formed token of its format.</summary>
    MalformedEvidence,

    /// <summary>The token's algorithm is not the one the format allows (e.g. <c>alg: none</c>).</summary>
    Algorithm,

    /// <summary>The signature does not verify.</summary>
    Signature,

    /// <summary>The device certificate chain does not end at a configured root.</summary>
    CertificateChain,

    /// <summary>A certificate of the chain is expired or not yet valid.</summary>
    CertificateExpired,

    /// <summary>A certificate of the chain was revoked by an operator.</summary>
    CertificateRevoked,

    /// <summary>The token's key id is not in the issuer's JWKS.</summary>
    UnknownKey,

    /// <summary>The token's issuer is not a configured verifier.</summary>
    Issuer,

    /// <summary>The token is not addressed to this control plane.</summary>
    Audience,

    /// <summary>The token has expired.</summary>
    TokenExpired,

    /// <summary>The token is not valid yet.</summary>
    TokenNotYetValid,

    /// <summary>The evidence is about another node.</summary>
    NodeMismatch,

    /// <summary>The evidence carries no nonce issued by this control plane.</summary>
    NonceForged,

    /// <summary>The nonce was issued to another node.</summary>
    NonceOfAnotherNode,

    /// <summary>The nonce's life ran out.</summary>
    NonceExpired,

    /// <summary>The nonce was already used, or superseded by a newer challenge.</summary>
    NonceReused,

    /// <summary>A GPU's nonce is not derived from the challenge.</summary>
    NonceMismatch,

    /// <summary>A claim the deployment requires is missing or has another value.</summary>
    ClaimMismatch,

    /// <summary>A measured component has no reference values to compare with.</summary>
    MissingReferenceValue,

    /// <summary>A measurement is not among the allowed reference values.</summary>
    MeasurementNotAllowed,

    /// <summary>The matching reference value has expired.</summary>
    ReferenceValueExpired,

    /// <summary>A component runs with debug enabled, or does not say.</summary>
    DebugEnabled,

    /// <summary>A GPU is not in confidential-computing mode, or does not say.</summary>
    CcModeOff,

    /// <summary>The TEE kind is not allowed, or does not match the node's registration.</summary>
    TeeKindNotAllowed,

    /// <summary>The evidence does not attest exactly the GPUs the node registered (their count).</summary>
    GpuInventoryMismatch,

    /// <summary>A measurement the reference values name for a component kind is not stated by the evidence.</summary>
    MeasurementMissing,

    /// <summary>The device certificate is not issued for attestation (it lacks the vendor's extended key usage).</summary>
    CertificatePolicy,

    /// <summary>The device certificate is pinned to another node: one device key attests one node only.</summary>
    DevicePinnedToAnotherNode,

    /// <summary>The external verifier's own result is not a pass (overall result, measurement result, EAR status).</summary>
    VerifierResult,

    /// <summary>A device does not report secure boot.</summary>
    SecureBoot,

    /// <summary>A device's attestation report did not parse, verify, answer the nonce or match its certificate's firmware id.</summary>
    AttestationReport,

    /// <summary>A reference integrity manifest (driver, VBIOS, BIOS) was not fetched, schema-valid, signed, version-matched or usable.</summary>
    ReferenceManifest,

    /// <summary>A certificate chain the verifier checked is not valid or its OCSP status is not good.</summary>
    CertificateStatus,

    /// <summary>The verifier attached a warning (e.g. a certificate on hold) that this deployment does not accept.</summary>
    AttestationWarning,

    /// <summary>A detached claims-set does not match the digest its overall token commits to, or is not committed at all.</summary>
    DetachedClaims,

    /// <summary>The TEE's TCB status is not among the statuses the appraisal policy allows.</summary>
    TcbStatus,

    /// <summary>A trustworthiness-vector claim is below what the appraisal policy requires for the device class.</summary>
    TrustVector,

    /// <summary>A device's class does not cover the GPU model the node registered.</summary>
    DeviceModelMismatch,
}
