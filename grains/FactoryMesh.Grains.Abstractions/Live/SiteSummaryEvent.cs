namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>A site's counts and load (client method <c>siteSummary</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record SiteSummaryEvent(
    string SiteId,
    [property: Id(0)] int Nodes,
    [property: Id(6)] int Ready,
    [property: Id(1)] int Trusted,
    [property: Id(2)] int Stale,
    [property: Id(3)] int Untrusted,
    [property: Id(4)] double GpuUtilization,
    [property: Id(5)] double PowerWatts,
    [property: Id(7)] double TokensPerSecond,
    DateTimeOffset At) : FleetEvent(SiteId, At);
