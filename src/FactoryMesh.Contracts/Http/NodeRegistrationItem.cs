namespace FactoryMesh.Contracts.Http;

/// <summary>
/// One node of <c>POST /api/v1/sites/{siteId}/nodes</c> (at most <see cref="ApiLimits.MaxRegistrationBatch"/>): its id
/// (a name, or a node id of the site) and the fields of <see cref="NodeRegistrationBody"/>; with
/// <see cref="ExpectedEpoch"/>, refused when a newer registration superseded it.
/// </summary>
/// <param name="NodeId">The node's name within its site, or its full id.</param>
/// <param name="GpuModel">GPU model (<c>H100</c>).</param>
/// <param name="GpuCount">GPUs in the node.</param>
/// <param name="GpuMemoryGiB">Memory of one GPU, GiB.</param>
/// <param name="TeeKind">The node's TEE kind.</param>
/// <param name="PowerWatts">Power at full load, watts.</param>
/// <param name="CostUsdPerHour">Cost of the node per hour before energy, USD.</param>
/// <param name="ExpectedEpoch">The registration epoch the caller holds, if any.</param>
public sealed record NodeRegistrationItem(
    string? NodeId,
    string? GpuModel,
    int? GpuCount,
    double? GpuMemoryGiB,
    string? TeeKind,
    double? PowerWatts,
    double? CostUsdPerHour,
    long? ExpectedEpoch = null);
