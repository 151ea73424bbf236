namespace FactoryMesh.Contracts.Http;

/// <summary>A single-use challenge for a node's next evidence (<c>POST /api/v1/nodes/{nodeId}/attestation/challenge</c>).</summary>
/// <param name="Nonce">The nonce the evidence must answer.</param>
/// <param name="ExpiresAt">When the control plane stops accepting it.</param>
public sealed record AttestationChallenge(string Nonce, DateTimeOffset ExpiresAt);
