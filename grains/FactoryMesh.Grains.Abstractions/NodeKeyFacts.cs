using FactoryMesh.Core.Trust;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>What key release needs to know about a node, for one replica.</summary>
/// <param name="Trust">The node's trust now.</param>
/// <param name="TeePublicKeyJwk">The TEE key bound in its current attestation, if any.</param>
/// <param name="ReplicaPlacementEpoch">The placement epoch of its replica of the model, or null when it holds none.</param>
/// <param name="TeeKind">The TEE kind it is registered with, which the tenant's policy may require.</param>
[GenerateSerializer, Immutable]
public sealed record NodeKeyFacts(
    [property: Id(0)] TrustStatus Trust,
    [property: Id(1)] string? TeePublicKeyJwk,
    [property: Id(2)] long? ReplicaPlacementEpoch,
    [property: Id(3)] string TeeKind);
