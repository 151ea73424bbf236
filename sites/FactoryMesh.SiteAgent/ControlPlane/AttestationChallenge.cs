namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>A single-use challenge for a node's next evidence.</summary>
/// <param name="Nonce">The nonce the evidence must answer.</param>
/// <param name="ExpiresAt">When the control plane stops accepting it.</param>
internal sealed record AttestationChallenge(string Nonce, DateTimeOffset ExpiresAt);
