namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>Body of <c>POST /api/v1/nodes/{nodeId}/attestation</c>.</summary>
/// <param name="Format"><c>sim-jws</c> or <c>eat-jwt</c>.</param>
/// <param name="Evidence">The compact JWS or JWT.</param>
internal sealed record EvidenceSubmission(string Format, string Evidence);
