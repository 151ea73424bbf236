using Orleans;

namespace FactoryMesh.Core.Placement.Joint;

/// <summary>What a joint plan gives one model.</summary>
/// <param name="Key">The model, as the request named it.</param>
/// <param name="Replicas">Every replica of the plan, staying and new, best objective first.</param>
/// <param name="Feasible">True when the model gets every replica and site it asks for.</param>
/// <param name="Shortfall">Why not, in words; empty when feasible.</param>
/// <param name="Staying">Nodes that keep their replica.</param>
/// <param name="Added">Nodes that receive a new replica.</param>
/// <param name="Removed">Nodes that lose theirs.</param>
/// <param name="CostUsdPerHour">What the replicas cost, USD per hour.</param>
/// <param name="CostUsdPerMTok">Cost per million tokens over all replicas (their hourly cost over their throughput), USD.</param>
/// <param name="JoulesPerToken">Facility energy per token over all replicas, joules.</param>
/// <param name="GramsCo2PerToken">Carbon per token over all replicas, gCO2e.</param>
/// <param name="Objective">The tenant-weighted objective of the replicas, summed (as <see cref="PlacementDecision.Objective"/>).</param>
[GenerateSerializer, Immutable]
public sealed record JointModelPlan(
    [property: Id(0)] string Key,
    [property: Id(1)] IReadOnlyList<ReplicaChoice> Replicas,
    [property: Id(2)] bool Feasible,
    [property: Id(3)] IReadOnlyList<string> Shortfall,
    [property: Id(4)] IReadOnlyList<string> Staying,
    [property: Id(5)] IReadOnlyList<string> Added,
    [property: Id(6)] IReadOnlyList<string> Removed,
    [property: Id(7)] double CostUsdPerHour,
    [property: Id(8)] double CostUsdPerMTok,
    [property: Id(9)] double JoulesPerToken,
    [property: Id(10)] double GramsCo2PerToken,
    [property: Id(11)] double Objective);
