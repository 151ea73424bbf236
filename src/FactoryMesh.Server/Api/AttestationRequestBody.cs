namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>POST /api/v1/nodes/{nodeId}/attestation</c>.</summary>
/// <param name="Format">One of the evidence formats: <c>sim-jws</c>, <c>eat-jwt</c>, <c>nvidia-eat</c>, <c>ear-jwt</c>, <c>ita-jwt</c>, <c>composite</c>.</param>
/// <param name="Evidence">The compact JWS/JWT, or the JSON text of an NVIDIA bundle or a composite.</param>
/// <remarks>Its largest evidence is <see cref="FactoryMesh.Contracts.Http.ApiLimits.MaxEvidenceLength"/>.</remarks>
public sealed record AttestationRequestBody(string? Format, string? Evidence);
