using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Server.Live;

/// <summary>
/// Whether a tenant has a replica at a site or on a node, asked of the tenant's own models: the cost is the tenant's
/// model count, and nothing is activated for a site or node id a caller made up.
/// </summary>
public static class TenantPlacement
{
    /// <summary>True when one of <paramref name="tenantId"/>'s models has a replica at <paramref name="siteId"/>.</summary>
    public static Task<bool> HostsAtSiteAsync(IGrainFactory grains, string tenantId, string siteId) =>
        AnyReplicaAsync(grains, tenantId, r => string.Equals(r.SiteId, siteId, StringComparison.Ordinal));

    /// <summary>True when one of <paramref name="tenantId"/>'s models has a replica on <paramref name="nodeId"/>.</summary>
    public static Task<bool> HostsOnNodeAsync(IGrainFactory grains, string tenantId, string nodeId) =>
        AnyReplicaAsync(grains, tenantId, r => string.Equals(r.NodeId, nodeId, StringComparison.Ordinal));

    private static async Task<bool> AnyReplicaAsync(IGrainFactory grains, string tenantId, Func<PlacedReplica, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(grains);
        foreach (var modelId in await grains.GetGrain<ITenantGrain>(tenantId).ListModelsAsync())
        {
            if (await grains.GetGrain<IModelGrain>($"{tenantId}/{modelId}").GetAsync() is { } model && model.Replicas.Any(matches))
            {
                return true;
            }
        }

        return false;
    }
}
