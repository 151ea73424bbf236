using FactoryMesh.Grains.Abstractions;

using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.Grains;

/// <summary>
/// On silo start, wakes every known site; each site wakes its nodes, which re-evaluate their liveness.
/// Without it, a node that died while the control plane was down would look Ready until someone asked.
/// </summary>
public static class FleetResumeStartupTask
{
    /// <summary>Runs the wake-up.</summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var sites = await grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync();
        await Task.WhenAll(sites.Select(id => grains.GetGrain<ISiteGrain>(id).GetAsync()));
    }
}
