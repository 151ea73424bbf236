namespace FactoryMesh.SiteAgent.Replicas;

/// <summary>One replica on one node, as the agent holds it: never the key itself.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="TenantId">The model's tenant.</param>
/// <param name="ModelId">The model.</param>
/// <param name="PlacementEpoch">The placement that assigned it.</param>
/// <param name="Status">Loaded or failed.</param>
/// <param name="WeightsPath">Where the decrypted weights are, when loaded.</param>
/// <param name="Reason">Why it failed.</param>
internal sealed record ReplicaState(string NodeId, string TenantId, string ModelId, long PlacementEpoch, ReplicaStatus Status, string? WeightsPath, string? Reason);
