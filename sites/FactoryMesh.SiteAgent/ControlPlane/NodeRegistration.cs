using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>Body of <c>PUT /api/v1/sites/{siteId}/nodes/{name}</c>: what the node is and what it costs.</summary>
/// <param name="GpuModel">GPU model (<c>H100</c>).</param>
/// <param name="GpuCount">GPUs in the node.</param>
/// <param name="GpuMemoryGiB">Memory of one GPU, GiB.</param>
/// <param name="TeeKind">The node's TEE kind.</param>
/// <param name="PowerWatts">Power at full load, watts.</param>
/// <param name="CostUsdPerHour">Cost of the node per hour before energy, USD.</param>
internal sealed record NodeRegistration(string GpuModel, int GpuCount, double GpuMemoryGiB, string TeeKind, double PowerWatts, double CostUsdPerHour)
{
    /// <summary>All GPU memory of the node, GiB: heartbeats may not report more in use.</summary>
    public double TotalGpuMemoryGiB => GpuCount * GpuMemoryGiB;

    /// <summary>The batch registration item for this node under its site name <paramref name="name"/>.</summary>
    public NodeRegistrationItem ToItem(string name) => new(name, GpuModel, GpuCount, GpuMemoryGiB, TeeKind, PowerWatts, CostUsdPerHour);
}
