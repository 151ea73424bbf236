using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>A new replica the solver chose, with its economics.</summary>
/// <param name="NodeId">The node that hosts it.</param>
/// <param name="SiteId">The node's site.</param>
/// <param name="CostUsdPerMTok">Cost per million tokens served, USD.</param>
/// <param name="JoulesPerToken">Facility energy per token, joules.</param>
/// <param name="GramsCo2PerToken">Carbon per token, gCO2e.</param>
/// <param name="CostUsdPerHour">The replica's cost, USD per hour.</param>
[GenerateSerializer, Immutable]
public sealed record ReplicaChoice(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string SiteId,
    [property: Id(2)] double CostUsdPerMTok,
    [property: Id(3)] double JoulesPerToken,
    [property: Id(4)] double GramsCo2PerToken,
    [property: Id(5)] double CostUsdPerHour);
