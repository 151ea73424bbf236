namespace FactoryMesh.Contracts.Http;

/// <summary>
/// Body of <c>PUT /api/v1/sites/{siteId}/nodes/{nodeId}</c>: what the node is and what it costs. Every field is
/// nullable because the server names each missing one in its 400; <see cref="Epoch"/> is optional: an agent that sends
/// the epoch it holds is refused when a newer registration has superseded it.
/// </summary>
/// <param name="GpuModel">GPU model (<c>H100</c>).</param>
/// <param name="GpuCount">GPUs in the node.</param>
/// <param name="GpuMemoryGiB">Memory of one GPU, GiB.</param>
/// <param name="TeeKind">The node's TEE kind.</param>
/// <param name="PowerWatts">Power at full load, watts.</param>
/// <param name="CostUsdPerHour">Cost of the node per hour before energy, USD.</param>
/// <param name="Epoch">The registration epoch the caller holds, if any.</param>
public sealed record NodeRegistrationBody(
    string? GpuModel,
    int? GpuCount,
    double? GpuMemoryGiB,
    string? TeeKind,
    double? PowerWatts,
    double? CostUsdPerHour,
    long? Epoch = null);
