using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// Places replicas (a stateless worker, any key): reads candidates from the Site grains of the sites the tenant's
/// policy allows, solves, and reserves capacity on the chosen Node grains, solving again without a node that
/// lost a race, so capacity is never double-booked.
/// </summary>
[Alias("FactoryMesh.ISchedulerGrain")]
public interface ISchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Places up to <see cref="ModelSpec.Replicas"/> − kept replicas of <paramref name="replicaKey"/>; the decision lists those reserved.</summary>
    [Alias("Schedule")]
    Task<PlacementDecision> ScheduleAsync(string replicaKey, ModelSpec model, TenantPolicy policy, IReadOnlyList<string> keptNodeIds, long placementEpoch);

    /// <summary>What a placement would choose now, reserving nothing: the rebalancer's look at better nodes.</summary>
    [Alias("Propose")]
    Task<PlacementDecision> ProposeAsync(ModelSpec model, TenantPolicy policy, IReadOnlyList<string> keptNodeIds);

    /// <summary>What a placement from scratch would choose now and why, with every eligible candidate's figures; reserves nothing.</summary>
    [Alias("Explain")]
    Task<PlacementExplanation> ExplainAsync(ModelSpec model, TenantPolicy policy);
}
