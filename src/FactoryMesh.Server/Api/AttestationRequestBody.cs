namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>POST /api/v1/nodes/{nodeId}/attestation</c>.</summary>
/// <param name="Format">One of the evidence formats: <c>sim-jws</c>, <c>eat-jwt</c>, <c>nvidia-eat</c>, <c>ear-jwt</c>, <c>ita-jwt</c>, <c>composite</c>.</param>
/// <param name="Evidence">The compact JWS/JWT, or the JSON text of an NVIDIA bundle or a composite.</param>
public sealed record AttestationRequestBody(string? Format, string? Evidence)
{
    /// <summary>
    /// The largest evidence accepted, characters: an NVIDIA bundle for eight GPUs and four switches with a TDX token
    /// beside it stays well within it, and so within the route's 256 KiB body limit.
    /// </summary>
    public const int MaxEvidenceLength = 192 * 1024;
}
