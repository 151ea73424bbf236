namespace FactoryMesh.Contracts.Http;

/// <summary>Body of <c>POST /api/v1/nodes/{nodeId}/attestation</c>.</summary>
/// <param name="Format">One of <see cref="Attestation.EvidenceFormats.All"/>.</param>
/// <param name="Evidence">The compact JWS/JWT, or the JSON text of an NVIDIA bundle or a composite; at most <see cref="ApiLimits.MaxEvidenceLength"/> characters.</param>
public sealed record EvidenceSubmission(string? Format, string? Evidence);
