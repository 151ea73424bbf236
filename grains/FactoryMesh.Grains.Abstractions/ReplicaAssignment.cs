namespace FactoryMesh.Grains.Abstractions;

/// <summary>A replica a node is assigned to run, as its agent learns it from each heartbeat answer.</summary>
/// <param name="TenantId">The model's tenant.</param>
/// <param name="ModelId">The model.</param>
/// <param name="PlacementEpoch">The assignment's epoch: the one to present when fetching the model's key.</param>
[GenerateSerializer, Immutable]
public sealed record ReplicaAssignment(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] long PlacementEpoch);
