namespace FactoryMesh.Contracts.Http;

/// <summary>Body of <c>POST /api/v1/placement</c>: a joint re-plan of many models under the fleet's GPU capacity.</summary>
/// <param name="TenantId">Only this tenant's models; absent for every tenant's.</param>
/// <param name="DryRun">True to answer the plan without applying it.</param>
/// <param name="MaxMoves">The most replicas the plan may take off nodes that could keep them (0 to <see cref="MaxMovesLimit"/>); absent for no limit.</param>
/// <param name="TimeLimitSeconds">How long the solver may search, seconds (<see cref="MinTimeLimitSeconds"/> to <see cref="MaxTimeLimitSeconds"/>; default <see cref="DefaultTimeLimitSeconds"/>).</param>
public sealed record FleetPlacementBody(string? TenantId = null, bool? DryRun = null, int? MaxMoves = null, double? TimeLimitSeconds = null)
{
    /// <summary>The time limit when the body states none.</summary>
    public const double DefaultTimeLimitSeconds = 2;

    /// <summary>The shortest time limit accepted.</summary>
    public const double MinTimeLimitSeconds = 0.1;

    /// <summary>The longest time limit accepted: a plan holds the fleet planner, and the caller, for its duration.</summary>
    public const double MaxTimeLimitSeconds = 20;

    /// <summary>The largest move budget accepted.</summary>
    public const int MaxMovesLimit = 1_000_000;
}
