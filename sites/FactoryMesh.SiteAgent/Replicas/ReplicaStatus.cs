namespace FactoryMesh.SiteAgent.Replicas;

/// <summary>Where a replica assigned to a node stands on this agent.</summary>
internal enum ReplicaStatus
{
    /// <summary>Its key is held in memory and its weights are decrypted, checked and in place.</summary>
    Loaded,

    /// <summary>It could not be loaded (key refused, artifact missing, digest mismatch, …); nothing of it is kept. Tried again for a new placement or after a purge.</summary>
    Failed,
}
