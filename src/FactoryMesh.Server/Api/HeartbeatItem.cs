namespace FactoryMesh.Server.Api;

/// <summary>One node's heartbeat in a site's batch.</summary>
public sealed record HeartbeatItem(
    string? NodeId,
    long? Epoch,
    double? GpuUtilization,
    double? GpuMemoryUsedGiB,
    double? PowerWatts,
    double? TokensPerSecond);
