using FactoryMesh.Core.KeyRelease;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>The answer to a key release request.</summary>
/// <param name="Refusal">Why not, or <see cref="KeyRefusal.None"/> when released.</param>
/// <param name="Detail">The reason in words (never key material).</param>
/// <param name="Jwe">The data key as a compact JWE to the node's attested TEE key, when released.</param>
/// <param name="PlacementEpoch">The placement epoch the release is valid for.</param>
[GenerateSerializer, Immutable]
public sealed record KeyReleaseResult(
    [property: Id(0)] KeyRefusal Refusal,
    [property: Id(1)] string Detail,
    [property: Id(2)] string? Jwe,
    [property: Id(3)] long PlacementEpoch);
