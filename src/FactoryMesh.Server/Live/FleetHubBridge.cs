using System.Threading.Channels;
using FactoryMesh.Grains.Abstractions.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace FactoryMesh.Server.Live;

/// <summary>
/// This silo's end of the live fan-out: registered with the hub registry as a grain observer, it takes event
/// batches from every silo's publisher and sends them to this silo's SignalR groups. Batches land in a bounded
/// buffer (the oldest dropped and counted when a slow client holds the sender back), so no grain ever waits for
/// a dashboard. Trust, replica and site events go out at once; utilization is coalesced per node and sent per
/// group once per <see cref="LiveUpdateOptions.UtilizationInterval"/>.
/// </summary>
public sealed partial class FleetHubBridge : IFleetObserver, IHostedService, IDisposable
{
    private static readonly TimeSpan RenewEvery = IFleetHubRegistryGrain.Lifetime / 2;

    private readonly IHubContext<FleetHub> _hub;
    private readonly IGrainFactory _grains;
    private readonly string _siloId;
    private readonly LiveUpdateOptions _options;
    private readonly LiveMetrics _metrics;
    private readonly ILogger<FleetHubBridge> _logger;
    private readonly Channel<IReadOnlyList<FleetEvent>> _inbox;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _utilizationLock = new();
    private Dictionary<string, UtilizationEvent> _latestUtilization = new(StringComparer.Ordinal);
    private IFleetObserver? _reference;
    private Task _loops = Task.CompletedTask;

    /// <summary>Creates the bridge for this silo.</summary>
    public FleetHubBridge(
        IHubContext<FleetHub> hub,
        IGrainFactory grains,
        ILocalSiloDetails silo,
        IOptions<LiveUpdateOptions> options,
        LiveMetrics metrics,
        ILogger<FleetHubBridge> logger)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _grains = grains;
        _siloId = silo.SiloAddress.ToParsableString();
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _inbox = Channel.CreateBounded<IReadOnlyList<FleetEvent>>(
            new BoundedChannelOptions(_options.BufferedBatches) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => _metrics.RecordDrop());
    }

    /// <inheritdoc />
    public Task OnEventsAsync(IReadOnlyList<FleetEvent> events)
    {
        _inbox.Writer.TryWrite(events);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = _grains.CreateObjectReference<IFleetObserver>(this);
        await RegisterAsync();
        _loops = Task.WhenAll(SendLoopAsync(_stopping.Token), UtilizationLoopAsync(_stopping.Token), RenewLoopAsync(_stopping.Token));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _inbox.Writer.TryComplete();
        try
        {
            await _loops.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        // The observer reference is not deleted here: the silo may already have released it while stopping, and it
        // dies with the process anyway; other silos' publishers stop using it when it no longer answers.
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private Task RegisterAsync() => _grains.GetGrain<IFleetHubRegistryGrain>(IFleetHubRegistryGrain.Key).RegisterAsync(_siloId, _reference!);

    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await RegisterAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRenewFailed(exception);
            }
        }
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        await foreach (var batch in _inbox.Reader.ReadAllAsync(stopping))
        {
            foreach (var fleetEvent in batch)
            {
                try
                {
                    await SendAsync(fleetEvent, stopping);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSendFailed(exception, fleetEvent.GetType().Name);
                }
            }
        }
    }

    private async Task SendAsync(FleetEvent fleetEvent, CancellationToken stopping)
    {
        switch (fleetEvent)
        {
            case UtilizationEvent utilization:
                lock (_utilizationLock)
                {
                    _latestUtilization[utilization.NodeId] = utilization;
                }

                return;
            case TrustChangedEvent trust:
                await _hub.Clients.Groups(FleetGroups.Site(trust.SiteId), FleetGroups.Node(trust.NodeId)).SendAsync(FleetClientMethods.TrustChanged, trust, stopping);
                break;
            case SiteSummaryEvent summary:
                await _hub.Clients.Group(FleetGroups.Site(summary.SiteId)).SendAsync(FleetClientMethods.SiteSummary, summary, stopping);
                break;
            case ReplicaEvent replica:
                await _hub.Clients.Groups(
                        FleetGroups.Site(replica.SiteId), FleetGroups.Node(replica.NodeId), FleetGroups.Tenant(replica.TenantId), FleetGroups.Model(replica.TenantId, replica.ModelId))
                    .SendAsync(replica.Placed ? FleetClientMethods.ReplicaPlaced : FleetClientMethods.ReplicaEvicted, replica, stopping);
                break;
            default:
                return;
        }

        _metrics.RecordSent(1);
    }

    // Coalesces to the latest sample per node and sends each site group its nodes, each node group its own.
    private async Task UtilizationLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.UtilizationInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            Dictionary<string, UtilizationEvent> latest;
            lock (_utilizationLock)
            {
                if (_latestUtilization.Count == 0)
                {
                    continue;
                }

                latest = _latestUtilization;
                _latestUtilization = new Dictionary<string, UtilizationEvent>(StringComparer.Ordinal);
            }

            try
            {
                foreach (var site in latest.Values.GroupBy(u => u.SiteId, StringComparer.Ordinal))
                {
                    await _hub.Clients.Group(FleetGroups.Site(site.Key)).SendAsync(FleetClientMethods.Utilization, site.ToArray(), stopping);
                }

                foreach (var node in latest.Values)
                {
                    await _hub.Clients.Group(FleetGroups.Node(node.NodeId)).SendAsync(FleetClientMethods.Utilization, new[] { node }, stopping);
                }

                _metrics.RecordSent(latest.Count);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSendFailed(exception, nameof(UtilizationEvent));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the live bridge's registration failed")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a {EventType} to SignalR failed")]
    private partial void LogSendFailed(Exception exception, string eventType);
}
