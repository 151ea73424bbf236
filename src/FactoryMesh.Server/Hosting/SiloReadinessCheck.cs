using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FactoryMesh.Server.Hosting;

/// <summary>Ready when a grain call through the silo and its storage succeeds.</summary>
public sealed class SiloReadinessCheck(IGrainFactory grains) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var sites = await grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"{sites.Count} sites");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The silo does not answer.", exception);
        }
    }
}
