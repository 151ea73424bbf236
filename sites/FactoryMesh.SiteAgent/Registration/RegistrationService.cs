using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Sites;
using FactoryMesh.SiteAgent.Timing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Registration;

/// <summary>
/// Registers every node that needs it: all of them at start, and any node the heartbeat loop asks for again (the
/// control plane forgot it, holds another epoch, or was away). A registration carries no epoch, so the agent takes
/// the node over from whichever registration the control plane held; its answer carries the node's trust, and a node
/// that is not Trusted is sent to attest at once. Failures back off exponentially with jitter.
/// </summary>
internal sealed class RegistrationService(
    NodeFleet fleet,
    IControlPlane controlPlane,
    SiteDescription site,
    IOptions<AttestationTimingOptions> timing,
    AgentCounters counters,
    ILogger<RegistrationService> logger) : BackgroundService
{
    private const int MaxConcurrent = 8;
    private string? _lastRefusal;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                var pending = fleet.Nodes.Where(n => n.NeedsRegistration).ToList();
                if (pending.Count == 0)
                {
                    await fleet.RegistrationWanted.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var failed = 0;
                await Parallel.ForEachAsync(
                    pending,
                    new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrent, CancellationToken = stoppingToken },
                    async (node, token) =>
                    {
                        if (!await RegisterAsync(node, token).ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref failed);
                        }
                    }).ConfigureAwait(false);

                failures = failed > 0 ? failures + 1 : 0;
                if (failures > 0)
                {
                    var settings = timing.Value;
                    var wait = RetryBackoff.Delay(failures, TimeSpan.FromSeconds(settings.MinimumDelaySeconds), TimeSpan.FromSeconds(settings.MaximumRetrySeconds), settings.Jitter, Random.Shared.NextDouble());
                    await fleet.RegistrationWanted.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task<bool> RegisterAsync(ManagedNode node, CancellationToken cancellationToken)
    {
        try
        {
            var before = node.Epoch;
            var registered = await controlPlane.RegisterNodeAsync(site.SiteId, node.Name, node.Registration, cancellationToken).ConfigureAwait(false);
            node.MarkRegistered(registered);
            counters.Registered(again: before > 0);
            logger.Registered(node.Id, registered.Epoch, registered.Trust?.State ?? "Unknown");
            if (registered.Trust is not { IsTrusted: true })
            {
                node.AttestationWanted.Set();
            }

            _lastRefusal = null;
            return true;
        }
        catch (ControlPlaneUnreachableException exception)
        {
            logger.RegistrationDeferred(node.Id, exception.Message);
            return false;
        }
        catch (ControlPlaneRefusedException exception)
        {
            // Usually the site does not exist yet, or the token is for another site: say it once, not per node and retry.
            if (Interlocked.Exchange(ref _lastRefusal, exception.Message) != exception.Message)
            {
                logger.RegistrationRefused(exception.Message);
            }

            return false;
        }
    }
}
