using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// The solver's answer for one model. When the request cannot be met in full it is not empty-handed: <see cref="Feasible"/> is
/// false and <see cref="Replicas"/> holds the best set that does fit (as many replicas as the constraints allow, spread over as
/// many sites as they allow, then the best objective), so a placement never leaves a model with fewer replicas than it could
/// have. Whether to apply such a partial placement is the caller's decision.
/// </summary>
/// <param name="Feasible">True when every requested replica is placed with every constraint met.</param>
/// <param name="Replicas">The new replicas, best objective first; kept replicas are not repeated.</param>
/// <param name="TotalCostUsdPerHour">Cost of kept and new replicas together, USD per hour.</param>
/// <param name="Excluded">Every candidate not chosen (kept nodes aside), with the reason.</param>
/// <param name="BindingConstraints">When infeasible, the constraints that made it so, in words; otherwise empty.</param>
/// <param name="Mode"><see cref="PlacementModes.Exact"/> or <see cref="PlacementModes.Heuristic"/>.</param>
/// <param name="Objective">
/// The tenant-weighted objective of the new replicas, summed: each replica scores the weighted sum of its cost per token,
/// energy per token and carbon per token, each divided by the lowest value among eligible candidates, weights summing to 1.
/// </param>
[GenerateSerializer, Immutable]
public sealed record PlacementDecision(
    [property: Id(0)] bool Feasible,
    [property: Id(1)] IReadOnlyList<ReplicaChoice> Replicas,
    [property: Id(2)] double TotalCostUsdPerHour,
    [property: Id(3)] IReadOnlyList<NodeExclusion> Excluded,
    [property: Id(4)] IReadOnlyList<string> BindingConstraints,
    [property: Id(5)] string Mode,
    [property: Id(6)] double Objective);
