namespace FactoryMesh.Contracts.Http;

/// <summary>
/// One node's heartbeat in a site's batch (<c>POST /api/v1/sites/{siteId}/heartbeats</c>). Every field is nullable so
/// the server can name a missing one; an agent always fills them.
/// </summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Epoch">The epoch of the registration the heartbeat belongs to.</param>
/// <param name="GpuUtilization">Mean GPU utilization, 0 to 1.</param>
/// <param name="GpuMemoryUsedGiB">GPU memory in use over all GPUs, GiB.</param>
/// <param name="PowerWatts">Power drawn now, watts.</param>
/// <param name="TokensPerSecond">Tokens generated per second on the node.</param>
/// <param name="SampledAt">When it was measured: a heartbeat sent late still says when the node was like this.</param>
public sealed record HeartbeatReport(
    string? NodeId,
    long? Epoch,
    double? GpuUtilization,
    double? GpuMemoryUsedGiB,
    double? PowerWatts,
    double? TokensPerSecond,
    DateTimeOffset? SampledAt = null);
