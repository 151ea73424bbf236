using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>
/// Gathers placement candidates from the Site grains' node indexes (node grains are never visited to gather them), for the
/// sites a filter admits.
/// </summary>
internal static class FleetCandidates
{
    public static async Task<List<PlacementCandidate>> GatherAsync(IGrainFactory grains, Func<SiteProfile, bool> admits)
    {
        var siteIds = await grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync();
        var sites = await Task.WhenAll(siteIds.Select(id => grains.GetGrain<ISiteGrain>(id).GetAsync()));
        var admitted = sites.OfType<SiteView>().Where(site => admits(site.Profile)).ToList();
        var facts = await Task.WhenAll(admitted.Select(site => grains.GetGrain<ISiteGrain>(site.SiteId).GetNodeFactsAsync()));
        return admitted.SelectMany((site, i) => facts[i].Select(node => new PlacementCandidate(node, site.SiteId, site.Profile))).ToList();
    }
}
