using FactoryMesh.SiteAgent.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FactoryMesh.SiteAgent.Replicas;

/// <summary>
/// Runs <see cref="ReplicaManager"/>: deletes weights an earlier run left (their keys died with it), then loads and
/// purges replicas whenever a heartbeat answer changes what a node should hold, and purges everything on stop.
/// </summary>
internal sealed class ReplicaService(ReplicaManager replicas, ILogger<ReplicaService> logger) : BackgroundService
{
    // A safety net: the loop also looks again this often without a signal (a load deferred by an outage, say).
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        replicas.PurgeAll("the agent is stopping");
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            replicas.DeleteLeftovers();
        }
        catch (IOException exception)
        {
            logger.WeightsLeftover(replicas.WeightsDirectory, exception.Message);
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await replicas.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                await replicas.Changed.WaitAsync(Recheck, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
