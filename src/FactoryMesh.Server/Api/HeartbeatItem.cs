namespace FactoryMesh.Server.Api;

/// <summary>One node's heartbeat in a site's batch.</summary>
/// <param name="SampledAt">When the agent measured it (optional): a heartbeat sent after an outage says when it is from.</param>
public sealed record HeartbeatItem(
    string? NodeId,
    long? Epoch,
    double? GpuUtilization,
    double? GpuMemoryUsedGiB,
    double? PowerWatts,
    double? TokensPerSecond,
    DateTimeOffset? SampledAt = null);
