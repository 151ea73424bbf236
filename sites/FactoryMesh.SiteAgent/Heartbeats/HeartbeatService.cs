using System.Net;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Faults;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Replicas;
using FactoryMesh.SiteAgent.Sites;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Heartbeats;

/// <summary>
/// Samples every registered node once per heartbeat interval, keeping each node's newest sample, and sends them in
/// batches. Two loops, so that sampling keeps its beat while a send waits out retries. While the control plane is
/// unreachable each node's newest sample replaces its older ones; once it answers again one round of full batches
/// brings every node up to date, and every node is registered again, since the control plane may have restarted
/// without its memory of them. Each accepted heartbeat's answer
/// (the node's trust, its replicas now) goes to <see cref="ReplicaManager"/>, which loads and purges accordingly.
/// </summary>
internal sealed class HeartbeatService(
    NodeFleet fleet,
    IControlPlane controlPlane,
    SiteDescription site,
    FaultState faults,
    LatestHeartbeats buffer,
    ReplicaManager replicas,
    IOptions<HeartbeatOptions> options,
    AgentCounters counters,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    /// <summary>The most heartbeats one batch may hold (the control plane's limit).</summary>
    public const int MaxBatch = ApiLimits.MaxHeartbeatBatch;

    private readonly AsyncSignal _sendWanted = new();
    private DateTimeOffset? _unreachableSince;
    private long _droppedAtOutageStart;
    private bool _recovering;
    private string? _lastRefusal;

    /// <inheritdoc />
    public override void Dispose()
    {
        _sendWanted.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SampleLoopAsync(stoppingToken), SendLoopAsync(stoppingToken));

    private async Task SampleLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            do
            {
                await SampleAllAsync(cancellationToken).ConfigureAwait(false);
                _sendWanted.Set();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task SampleAllAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var superseded = 0;
        foreach (var node in fleet.Nodes)
        {
            // A node waiting for (re-)registration has no epoch worth sending; one told to go silent sends nothing.
            if (node.NeedsRegistration || faults.Has(node.Name, NodeFault.StopHeartbeats))
            {
                continue;
            }

            if (await node.Telemetry.SampleAsync(now, cancellationToken).ConfigureAwait(false) is not { } sample)
            {
                continue;
            }

            var memory = Math.Min(sample.GpuMemoryUsedGiB, node.Registration.TotalGpuMemoryGiB);
            if (buffer.Set(new HeartbeatReport(node.Id, node.Epoch, sample.GpuUtilization, memory, sample.PowerWatts, sample.TokensPerSecond, now)))
            {
                superseded++;
            }
        }

        counters.HeartbeatsLost(superseded);
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // Woken by each sample; the interval bounds the wait, so a buffered backlog is retried even unsignalled.
                await _sendWanted.WaitAsync(options.Value.Interval, cancellationToken).ConfigureAwait(false);
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    // Sends batches until the buffer is empty or the control plane stops answering.
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (buffer.TakeBatch(MaxBatch) is { Count: > 0 } batch)
        {
            IReadOnlyList<HeartbeatVerdict> verdicts;
            try
            {
                verdicts = await controlPlane.SendHeartbeatsAsync(site.SiteId, batch, cancellationToken).ConfigureAwait(false);
            }
            catch (ControlPlaneUnreachableException exception)
            {
                counters.HeartbeatsLost(buffer.ReturnUnsent(batch));
                if (_unreachableSince is null)
                {
                    _unreachableSince = time.GetUtcNow();
                    _droppedAtOutageStart = counters.HeartbeatsDropped;
                    logger.ControlPlaneUnreachable(exception.Message);
                }

                return;
            }
            catch (ControlPlaneRefusedException exception) when (exception.Status == HttpStatusCode.BadRequest)
            {
                // The control plane will never take this batch as it is; resending it would only block the ones after.
                counters.HeartbeatsLost(batch.Count);
                logger.HeartbeatBatchInvalid(batch.Count, exception.Message);
                continue;
            }
            catch (ControlPlaneRefusedException exception)
            {
                // Not authorized, or the site does not exist (yet): keep the heartbeats, say so once, try again next beat.
                counters.HeartbeatsLost(buffer.ReturnUnsent(batch));
                if (_lastRefusal != exception.Message)
                {
                    _lastRefusal = exception.Message;
                    logger.HeartbeatsRefused(exception.Message);
                }

                return;
            }

            _lastRefusal = null;
            if (_unreachableSince is { } since)
            {
                _unreachableSince = null;
                _recovering = true;
                var outage = time.GetUtcNow() - since;
                var dropped = counters.HeartbeatsDropped - _droppedAtOutageStart;
                logger.ControlPlaneReachable(outage, dropped, buffer.Count + batch.Count);
            }

            Apply(batch, verdicts);
        }

        if (_recovering)
        {
            // The backlog is in; now make sure the control plane knows every node as it is (it may have restarted).
            _recovering = false;
            var requested = fleet.RequestRegistrationOfAll();
            logger.ReregisteringAll(requested);
        }
    }

    private void Apply(IReadOnlyList<HeartbeatReport> batch, IReadOnlyList<HeartbeatVerdict> verdicts)
    {
        var sent = batch.ToDictionary(r => r.NodeId!, StringComparer.Ordinal);
        foreach (var verdict in verdicts.Where(v => v is { Accepted: true, Trust: not null }))
        {
            if (fleet.Find(verdict.NodeId) is { } node)
            {
                replicas.Observe(node.Id, verdict.Trust!, verdict.Replicas ?? []);
            }
        }

        var refused = 0;
        foreach (var verdict in verdicts.Where(v => !v.Accepted))
        {
            refused++;
            if (fleet.Find(verdict.NodeId) is not { } node || !sent.TryGetValue(verdict.NodeId, out var report))
            {
                continue;
            }

            var reason = verdict.Reason ?? "refused";
            switch (RefusalPolicy.Decide(verdict.Code, report.Epoch ?? 0, node.Epoch, node.NeedsRegistration))
            {
                case RefusalAction.Reregister when fleet.RequestRegistration(node):
                    logger.Reregistering(node.Id, reason);
                    break;
                case RefusalAction.Report:
                    logger.HeartbeatRefused(node.Id, reason);
                    break;
            }
        }

        counters.HeartbeatsAnswered(verdicts.Count - refused, refused);
    }
}
