namespace FactoryMesh.Grains.Abstractions;

/// <summary>A replica of a model where it runs now, with what it costs there.</summary>
[GenerateSerializer, Immutable]
public sealed record PlacedReplica(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string SiteId,
    [property: Id(2)] double CostUsdPerMTok,
    [property: Id(3)] double JoulesPerToken,
    [property: Id(4)] double GramsCo2PerToken,
    [property: Id(5)] double CostUsdPerHour,
    [property: Id(6)] long PlacementEpoch,
    [property: Id(7)] DateTimeOffset PlacedAt);
