namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>POST /api/v1/nodes/{nodeId}/attestation</c>.</summary>
/// <param name="Format"><c>sim-jws</c> or <c>eat-jwt</c>.</param>
/// <param name="Evidence">The compact JWS/JWT.</param>
public sealed record AttestationRequestBody(string? Format, string? Evidence)
{
    /// <summary>The largest evidence accepted, characters.</summary>
    public const int MaxEvidenceLength = 64 * 1024;
}
