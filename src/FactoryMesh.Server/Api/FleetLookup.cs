using FactoryMesh.Contracts.Identity;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Server.Api;

/// <summary>
/// Whether a site or node a caller names exists, asked of the fleet directory and the site's in-memory index before
/// any grain is activated for the id: a made-up id costs a lookup, not an activation and a storage read.
/// </summary>
public static class FleetLookup
{
    /// <summary>True when the site was created.</summary>
    public static Task<bool> SiteExistsAsync(IGrainFactory grains, string siteId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).HasSiteAsync(siteId);
    }

    /// <summary>True when the node is registered at an existing site.</summary>
    public static async Task<bool> NodeExistsAsync(IGrainFactory grains, NodeId nodeId) =>
        await SiteExistsAsync(grains, nodeId.SiteId) && await grains.GetGrain<ISiteGrain>(nodeId.SiteId).HasNodeAsync(nodeId.ToString());
}
