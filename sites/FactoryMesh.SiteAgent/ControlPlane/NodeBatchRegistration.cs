namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>One node of <c>POST /api/v1/sites/{siteId}/nodes</c>: its name and what it registers as.</summary>
/// <param name="NodeId">The node's name within its site (or its full id).</param>
/// <param name="GpuModel">GPU model (<c>H100</c>).</param>
/// <param name="GpuCount">GPUs in the node.</param>
/// <param name="GpuMemoryGiB">Memory of one GPU, GiB.</param>
/// <param name="TeeKind">The node's TEE kind.</param>
/// <param name="PowerWatts">Power at full load, watts.</param>
/// <param name="CostUsdPerHour">Cost of the node per hour before energy, USD.</param>
internal sealed record NodeBatchRegistration(string NodeId, string GpuModel, int GpuCount, double GpuMemoryGiB, string TeeKind, double PowerWatts, double CostUsdPerHour)
{
    /// <summary>The batch item for node <paramref name="name"/> registering as <paramref name="registration"/>.</summary>
    public static NodeBatchRegistration Of(string name, NodeRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new(name, registration.GpuModel, registration.GpuCount, registration.GpuMemoryGiB, registration.TeeKind, registration.PowerWatts, registration.CostUsdPerHour);
    }
}
