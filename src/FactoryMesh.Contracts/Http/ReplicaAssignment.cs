namespace FactoryMesh.Contracts.Http;

/// <summary>A replica a node is assigned, as a heartbeat answer lists it.</summary>
/// <param name="TenantId">The model's tenant.</param>
/// <param name="ModelId">The model.</param>
/// <param name="PlacementEpoch">The placement that assigned it; a key is released only for the current one.</param>
public sealed record ReplicaAssignment(string TenantId, string ModelId, long PlacementEpoch);
