namespace FactoryMesh.Core.Attestation;

/// <summary>Everything needed to judge one submission of evidence.</summary>
/// <param name="NodeId">The node submitting it.</param>
/// <param name="NodeTeeKind">The TEE kind the node registered with.</param>
/// <param name="NodeGpuCount">The GPUs the node registered with: the evidence must attest exactly as many.</param>
/// <param name="Format">The evidence format it claims.</param>
/// <param name="Evidence">The raw evidence (compact JWS/JWT).</param>
/// <param name="OutstandingNonce">The node's one outstanding challenge, consumed by this submission; null when none.</param>
/// <param name="RevokedCertificates">Revoked certificate thumbprints and serials, upper-case hex.</param>
/// <param name="Now">The instant of judgement.</param>
/// <param name="NodeGpuModel">The GPU model the node registered with (<c>H100</c>): device classes that name registered models must name it.</param>
public sealed record AttestationRequest(
    string NodeId,
    string NodeTeeKind,
    int NodeGpuCount,
    string Format,
    string Evidence,
    string? OutstandingNonce,
    IReadOnlySet<string> RevokedCertificates,
    DateTimeOffset Now,
    string? NodeGpuModel = null);
