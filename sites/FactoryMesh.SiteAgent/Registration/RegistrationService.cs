using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Sites;
using FactoryMesh.SiteAgent.Timing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Registration;

/// <summary>
/// Registers every node that needs it: all of them at start, and any node the heartbeat loop asks for again (the
/// control plane forgot it, holds another epoch, or was away). A registration carries no epoch, so the agent takes
/// the node over from whichever registration the control plane held; its answer carries the node's trust, and a node
/// that is not Trusted is sent to attest at once. Nodes go in batches of up to <see cref="MaxBatch"/>, so a whole site
/// (or a site coming back after an outage) registers in a few calls. Failures back off exponentially with jitter.
/// </summary>
internal sealed class RegistrationService(
    NodeFleet fleet,
    IControlPlane controlPlane,
    SiteDescription site,
    IOptions<AttestationTimingOptions> timing,
    AgentCounters counters,
    ILogger<RegistrationService> logger) : BackgroundService
{
    /// <summary>The most nodes the control plane takes in one registration call.</summary>
    public const int MaxBatch = ApiLimits.MaxRegistrationBatch;

    private const int MaxConcurrent = 4;
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
                    pending.Chunk(MaxBatch),
                    new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrent, CancellationToken = stoppingToken },
                    async (batch, token) =>
                    {
                        if (!await RegisterAsync(batch, token).ConfigureAwait(false))
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

    private async Task<bool> RegisterAsync(ManagedNode[] batch, CancellationToken cancellationToken)
    {
        try
        {
            var verdicts = await controlPlane.RegisterNodesAsync(site.SiteId, batch.Select(n => n.Registration.ToItem(n.Name)).ToArray(), cancellationToken).ConfigureAwait(false);
            var byId = verdicts.ToDictionary(v => v.NodeId, StringComparer.Ordinal);
            var all = true;
            foreach (var node in batch)
            {
                // A registration without an expected epoch always takes; anything else is retried with the next round.
                if (!byId.TryGetValue(node.Id, out var verdict) || !verdict.Registered)
                {
                    all = false;
                    continue;
                }

                var before = node.Epoch;
                var registered = new RegisteredNode(verdict.NodeId, verdict.Epoch, verdict.Trust);
                node.MarkRegistered(registered);
                counters.Registered(again: before > 0);
                logger.Registered(node.Id, registered.Epoch, registered.Trust?.State ?? "Unknown");
                if (registered.Trust is not { IsTrusted: true })
                {
                    node.AttestationWanted.Set();
                }
            }

            _lastRefusal = null;
            return all;
        }
        catch (ControlPlaneUnreachableException exception)
        {
            logger.RegistrationDeferred(site.SiteId, exception.Message);
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
