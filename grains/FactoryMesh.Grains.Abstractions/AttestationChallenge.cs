namespace FactoryMesh.Grains.Abstractions;

/// <summary>A single-use challenge for a node's next evidence.</summary>
/// <param name="Nonce">base64url nonce the evidence must carry.</param>
/// <param name="ExpiresAt">When it stops being accepted.</param>
[GenerateSerializer, Immutable]
public sealed record AttestationChallenge(
    [property: Id(0)] string Nonce,
    [property: Id(1)] DateTimeOffset ExpiresAt);
