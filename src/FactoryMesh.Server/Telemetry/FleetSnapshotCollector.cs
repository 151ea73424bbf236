using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.History;
using Microsoft.Extensions.Options;

namespace FactoryMesh.Server.Telemetry;

/// <summary>
/// Reads every Site grain's view (counts and sums the site keeps as its nodes report, so one call per site) every
/// <see cref="TelemetryOptions.SnapshotInterval"/> and hands it to <see cref="FleetMetrics"/> and to <see cref="SiteHistory"/>.
/// </summary>
public sealed partial class FleetSnapshotCollector(
    IGrainFactory grains, FleetMetrics metrics, SiteHistory history, TimeProvider clock, IOptions<TelemetryOptions> options, ILogger<FleetSnapshotCollector> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SnapshotInterval);
        try
        {
            await CollectAsync(timer, stoppingToken);
        }
        finally
        {
            metrics.Withdraw(this);
        }
    }

    private async Task CollectAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        do
        {
            try
            {
                // Abandoned, not awaited, when the host stops: a read stuck behind a stopping silo must not hold its shutdown.
                var siteIds = await grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync().WaitAsync(stoppingToken);
                var sites = await Task.WhenAll(siteIds.Select(id => grains.GetGrain<ISiteGrain>(id).GetAsync())).WaitAsync(stoppingToken);
                var nodes = options.Value.NodeMetrics
                    ? (await Task.WhenAll(siteIds.Select(id => grains.GetGrain<ISiteGrain>(id).GetNodeUtilizationAsync())).WaitAsync(stoppingToken)).SelectMany(n => n).ToArray()
                    : [];
                var snapshot = new FleetSnapshot(sites.OfType<SiteView>().ToArray(), nodes);
                metrics.Publish(this, snapshot);
                history.Record(clock.GetUtcNow(), snapshot.Sites);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The silo may be starting or stopping; the gauges keep the last figures until the next read.
                LogReadFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the sites for the metrics snapshot")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
