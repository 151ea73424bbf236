using FactoryMesh.Core.KeyRelease;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>The node grain's decision on a key release: the refusal and why, or the data key wrapped to its attested TEE key.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeKeyRelease(
    [property: Id(0)] KeyRefusal Refusal,
    [property: Id(1)] string Detail,
    [property: Id(2)] string? Jwe);
