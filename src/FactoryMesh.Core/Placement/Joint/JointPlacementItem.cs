using FactoryMesh.Core.Tenants;
using Orleans;

namespace FactoryMesh.Core.Placement.Joint;

/// <summary>One model of a joint re-plan.</summary>
/// <param name="Key">Names the model in the plan (<c>{tenantId}/{modelId}</c>).</param>
/// <param name="Model">What the model needs.</param>
/// <param name="Policy">The owning tenant's constraints and objective weights.</param>
/// <param name="CurrentNodeIds">
/// The nodes that host the model's replicas now. Their GPUs count as free to this plan (the candidates' facts show them
/// reserved); a replica that stays on its node is no move, one the plan puts elsewhere is.
/// </param>
[GenerateSerializer, Immutable]
public sealed record JointPlacementItem(
    [property: Id(0)] string Key,
    [property: Id(1)] ModelSpec Model,
    [property: Id(2)] TenantPolicy Policy,
    [property: Id(3)] IReadOnlyList<string> CurrentNodeIds);
