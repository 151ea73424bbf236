using System.Threading.Channels;
using FactoryMesh.Grains.Abstractions.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using FactoryMesh.Contracts.Hub;

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

    private readonly IHubContext<FleetHub> _hub;
    private readonly IGrainFactory _grains;
    private readonly ViewerSubscriptions _viewers;
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
        ViewerSubscriptions viewers,
        ILocalSiloDetails silo,
        IOptions<LiveUpdateOptions> options,
        LiveMetrics metrics,
        ILogger<FleetHubBridge> logger)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _grains = grains;
        _viewers = viewers;
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
        using var timer = new PeriodicTimer(IFleetHubRegistryGrain.RenewInterval);
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
                await _hub.Clients.Groups([.. WithViewers(FleetGroups.Site(trust.SiteId), FleetGroups.Node(trust.NodeId)), FleetGroups.Fleet])
                    .SendAsync(FleetClientMethods.TrustChanged, trust, stopping);
                break;
            case SiteSummaryEvent summary:
                await Audience(FleetGroups.Site(summary.SiteId)).SendAsync(FleetClientMethods.SiteSummary, summary, stopping);
                await _hub.Clients.Group(FleetGroups.Fleet).SendAsync(FleetClientMethods.SiteSummary, summary, stopping);
                break;
            case ReplicaEvent replica:
                // Shared site and node groups hold no viewers; a viewer gets the event only through its own tenant's groups.
                var site = FleetGroups.Site(replica.SiteId);
                var node = FleetGroups.Node(replica.NodeId);
                await _hub.Clients.Groups(
                        site, node, FleetGroups.Fleet, FleetGroups.Tenant(replica.TenantId), FleetGroups.Model(replica.TenantId, replica.ModelId),
                        FleetGroups.Viewer(replica.TenantId, site), FleetGroups.Viewer(replica.TenantId, node))
                    .SendAsync(replica.Placed ? FleetClientMethods.ReplicaPlaced : FleetClientMethods.ReplicaEvicted, replica, stopping);
                if (!replica.Placed)
                {
                    await EndViewerSubscriptionsAsync(replica, stopping);
                }

                break;
            default:
                return;
        }

        _metrics.RecordSent(1);
    }

    // Who receives what is sent to a target: its group, and the groups of the tenants whose viewers watch it on this
    // silo. The usual case (no viewer there) stays a single-group send: this runs once per node and second.
    private IClientProxy Audience(string target)
    {
        var tenants = _viewers.TenantsWatching(target);
        return tenants.Count == 0 ? _hub.Clients.Group(target) : _hub.Clients.Groups([target, .. tenants.Select(tenant => FleetGroups.Viewer(tenant, target))]);
    }

    // The groups plus, for each, the groups of the tenants whose viewers watch it on this silo.
    private List<string> WithViewers(params string[] targets)
    {
        var groups = new List<string>(targets);
        foreach (var target in targets)
        {
            groups.AddRange(_viewers.TenantsWatching(target).Select(tenant => FleetGroups.Viewer(tenant, target)));
        }

        return groups;
    }

    // A viewer may watch a site or node only while its tenant has a replica there: when one leaves, the tenant's viewers
    // of that site and node on this silo are checked again, and those whose tenant has none left are dropped and told.
    private async Task EndViewerSubscriptionsAsync(ReplicaEvent replica, CancellationToken stopping)
    {
        var site = FleetGroups.Site(replica.SiteId);
        var node = FleetGroups.Node(replica.NodeId);
        if (_viewers.Connections(site, replica.TenantId).Count > 0 && !await TenantPlacement.HostsAtSiteAsync(_grains, replica.TenantId, replica.SiteId))
        {
            await EndAsync(site, new SubscriptionEnded("site", replica.SiteId, "the tenant no longer has a replica at this site"));
        }

        if (_viewers.Connections(node, replica.TenantId).Count > 0 && !await TenantPlacement.HostsOnNodeAsync(_grains, replica.TenantId, replica.NodeId))
        {
            await EndAsync(node, new SubscriptionEnded("node", replica.NodeId, "the tenant no longer has a replica on this node"));
        }

        async Task EndAsync(string target, SubscriptionEnded ended)
        {
            foreach (var connection in _viewers.Connections(target, replica.TenantId))
            {
                _viewers.Remove(connection, target);
                await _hub.Groups.RemoveFromGroupAsync(connection, FleetGroups.Viewer(replica.TenantId, target), stopping);
                await _hub.Clients.Client(connection).SendAsync(FleetClientMethods.SubscriptionEnded, ended, stopping);
            }
        }
    }

    // Coalesces to the latest sample per node and sends each site group its nodes, each node group its own. A viewer of
    // a site gets its summaries, not each node's figures (those nodes may serve other tenants); a viewer of a node
    // hosting its replica gets that node's.
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
                    await Audience(FleetGroups.Node(node.NodeId)).SendAsync(FleetClientMethods.Utilization, new[] { node }, stopping);
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
