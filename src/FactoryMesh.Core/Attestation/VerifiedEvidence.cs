namespace FactoryMesh.Core.Attestation;

/// <summary>The claims of evidence whose signature (and certificate chain) verified; not yet appraised.</summary>
/// <param name="NodeId">The node the evidence is about, when it says.</param>
/// <param name="Nonce">The challenge nonce it answers.</param>
/// <param name="TeeKind">The TEE kind it reports, when it says.</param>
/// <param name="TeePublicKeyJwk">The TEE's public key (JWK JSON) that key releases will be wrapped to; null when absent.</param>
/// <param name="Components">The attested components.</param>
/// <param name="ExpiresAt">When the evidence itself expires (token <c>exp</c>), if it does.</param>
/// <param name="CertificateThumbprints">SHA-256 thumbprints of the device certificate chain (leaf first), for revocation.</param>
/// <param name="CertificateSerials">Serial numbers of that chain, same order.</param>
/// <param name="GpuNonces">Each GPU's nonce by GPU id, to check their derivation from <paramref name="Nonce"/>.</param>
/// <param name="GpuCount">How many GPUs the evidence attests; null when it does not say (which fails appraisal).</param>
/// <param name="Refusal">
/// A claim the verifier found failing (a required claim, a verifier's own failed check): an appraisal failure, judged
/// only once the evidence is known to answer this node's challenge, so a replayed old "fail" cannot untrust a node.
/// </param>
/// <param name="NonceBinding">How <paramref name="Nonce"/> relates to the challenge.</param>
public sealed record VerifiedEvidence(
    string? NodeId,
    string Nonce,
    string? TeeKind,
    string? TeePublicKeyJwk,
    IReadOnlyList<ComponentEvidence> Components,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> CertificateThumbprints,
    IReadOnlyList<string> CertificateSerials,
    IReadOnlyDictionary<string, string> GpuNonces,
    int? GpuCount,
    ClaimRefusal? Refusal = null,
    NonceBinding NonceBinding = NonceBinding.Exact);
