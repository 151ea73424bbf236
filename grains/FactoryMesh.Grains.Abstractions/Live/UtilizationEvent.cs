namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>A node's latest measurements (client method <c>utilization</c>, batched and throttled per group).</summary>
[GenerateSerializer, Immutable]
public sealed record UtilizationEvent(
    [property: Id(0)] string NodeId,
    string SiteId,
    [property: Id(1)] double GpuUtilization,
    [property: Id(2)] double PowerWatts,
    [property: Id(3)] double TokensPerSecond,
    DateTimeOffset At) : FleetEvent(SiteId, At);
