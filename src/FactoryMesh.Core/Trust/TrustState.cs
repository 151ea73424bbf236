namespace FactoryMesh.Core.Trust;

/// <summary>Whether a node's TEE is vouched for by a verified, fresh attestation.</summary>
public enum TrustState
{
    /// <summary>Never attested.</summary>
    Unknown,

    /// <summary>Attested, and the attestation is still fresh.</summary>
    Trusted,

    /// <summary>The last attestation passed but is no longer fresh.</summary>
    Stale,

    /// <summary>An appraisal failed, or an operator revoked the node.</summary>
    Untrusted,
}
