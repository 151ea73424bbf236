using FactoryMesh.Core.Placement;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A tenant's model, keyed <c>{tenantId}/{modelId}</c>: its spec, artifact and placement, which it keeps whole.</summary>
[Alias("FactoryMesh.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Creates the model or replaces its spec and artifact; durable before it returns. Placement is a separate call.</summary>
    [Alias("Define")]
    Task<ModelView> DefineAsync(ModelSpec spec, ModelArtifact? artifact);

    /// <summary>The model, or null when it does not exist.</summary>
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<ModelView?> GetAsync();

    /// <summary>
    /// Places the replicas it lacks (keeping the ones it has) under its tenant's policy; null model when the model
    /// or its tenant does not exist. When fewer replicas fit than asked it places those that do (Degraded).
    /// </summary>
    [Alias("Place")]
    Task<PlacementOutcome> PlaceAsync(string actor);

    /// <summary>
    /// Moves replicas to better nodes where the gain beats the migration cost, within the moves-per-minute budget,
    /// placing each new replica before releasing the old one so the model never runs short. Returns the moves made.
    /// Runs on its own on a timer while the model is placed.
    /// </summary>
    [Alias("Rebalance")]
    Task<int> RebalanceAsync();

    /// <summary>
    /// Judges every replica again under the tenant's policy as it is now (sovereignty of the site as it is now, required
    /// TEE kind, the tenant's attestation age): replicas that no longer comply are released and replaced at once, the
    /// placement epoch moving on so their nodes can fetch no key again. Returns how many were evicted.
    /// </summary>
    [Alias("Rescreen")]
    Task<int> RescreenAsync(string cause);

    /// <summary>
    /// Moves to its part of a joint plan: reserves every added node first, then releases one removed node per reservation
    /// that took, so the model never runs short; a refused reservation keeps the old replica. Audited and published like any move.
    /// </summary>
    [Alias("ApplyPlan")]
    Task<PlanApplication> ApplyPlanAsync(IReadOnlyList<ReplicaChoice> added, IReadOnlyList<string> removed, string actor);

    /// <summary>A node lost the replica (trust or liveness lost, revoked): forget it and place a replacement.</summary>
    [Alias("ReplicaLost"), Orleans.Concurrency.OneWay]
    Task ReplicaLostAsync(string nodeId, string reason);
}
