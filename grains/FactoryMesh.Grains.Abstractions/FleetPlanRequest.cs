namespace FactoryMesh.Grains.Abstractions;

/// <summary>What to re-plan and how.</summary>
/// <param name="TenantId">Only this tenant's models, or null for every tenant's.</param>
/// <param name="DryRun">True to answer the plan without applying it.</param>
/// <param name="MaxMoves">The most replicas the plan may take off nodes that could keep them; null for no limit.</param>
/// <param name="TimeLimit">How long the solver may search.</param>
/// <param name="Actor">Who asked, for the audit log.</param>
[GenerateSerializer, Immutable]
public sealed record FleetPlanRequest(
    [property: Id(0)] string? TenantId,
    [property: Id(1)] bool DryRun,
    [property: Id(2)] int? MaxMoves,
    [property: Id(3)] TimeSpan TimeLimit,
    [property: Id(4)] string Actor);
