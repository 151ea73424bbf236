namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// Re-plans many models together (key <see cref="Key"/>, one per fleet, so joint plans never race each other): gathers every
/// site's node facts and the models in scope with their tenants' policies and current replicas, solves them jointly under
/// GPU capacity, and applies the plan model by model unless asked only to answer.
/// </summary>
[Alias("FactoryMesh.IFleetPlannerGrain")]
public interface IFleetPlannerGrain : IGrainWithIntegerKey
{
    /// <summary>The one planner of the fleet.</summary>
    public const long Key = 0;

    /// <summary>Plans (and unless <see cref="FleetPlanRequest.DryRun"/>, applies) the models in scope.</summary>
    [Alias("Plan")]
    Task<FleetPlanOutcome> PlanAsync(FleetPlanRequest request);
}
