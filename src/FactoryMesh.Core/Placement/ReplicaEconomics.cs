using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>What one replica of a model costs on one node, per hour and per token; see <see cref="TokenEconomics"/>.</summary>
/// <param name="GpusPerReplica">Whole GPUs the replica occupies: its memory over one GPU's, rounded up.</param>
/// <param name="NodeFraction">The share of the node the replica occupies: its GPUs over the node's.</param>
/// <param name="TokensPerSecond">Tokens one replica serves per second on this GPU model.</param>
/// <param name="CostUsdPerHour">The replica's share of the node's cost, energy included, USD per hour.</param>
/// <param name="CostUsdPerMillionTokens">Cost of serving a million tokens, USD.</param>
/// <param name="JoulesPerToken">Facility energy per token (PUE included), joules.</param>
/// <param name="GramsCo2PerToken">Carbon emitted per token at the site's intensity, gCO2e.</param>
[GenerateSerializer, Immutable]
public readonly record struct ReplicaEconomics(
    [property: Id(0)] int GpusPerReplica,
    [property: Id(1)] double NodeFraction,
    [property: Id(2)] double TokensPerSecond,
    [property: Id(3)] double CostUsdPerHour,
    [property: Id(4)] double CostUsdPerMillionTokens,
    [property: Id(5)] double JoulesPerToken,
    [property: Id(6)] double GramsCo2PerToken);
