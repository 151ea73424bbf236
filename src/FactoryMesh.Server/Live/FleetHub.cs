using System.Security.Claims;
using FactoryMesh.Contracts.Hub;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FactoryMesh.Server.Live;

/// <summary>
/// The live fleet hub (<c>/hubs/fleet</c>). Every subscription is authorized when it is made, because groups
/// only route: operators and schedulers see everything; an agent sees its own site and its nodes; a viewer sees
/// its own tenant and models, and the sites and nodes that host its replicas, through groups of its own tenant
/// (<see cref="FleetGroups.Viewer"/>) that carry no other tenant's replica events and that the bridge leaves when
/// the tenant's last replica there goes. A refused subscription fails with a hub error and joins nothing.
/// </summary>
[Authorize]
public sealed class FleetHub(IGrainFactory grains, ViewerSubscriptions viewers) : Hub
{
    /// <summary>The most subscriptions one connection may hold: a dashboard watches every site and a few nodes.</summary>
    public const int MaxSubscriptionsPerConnection = 512;

    private const string SubscriptionsItem = "subscriptions";

    /// <summary>Subscribes to every trust change, site summary and replica move in the fleet.</summary>
    [HubMethodName(FleetHubMethods.SubscribeFleet)]
    public async Task SubscribeFleet()
    {
        if (!SeesEverything)
        {
            throw new HubException("Only operators and schedulers may watch the whole fleet.");
        }

        await JoinAsync(FleetGroups.Fleet);
    }

    /// <summary>Stops watching the whole fleet.</summary>
    [HubMethodName(FleetHubMethods.UnsubscribeFleet)]
    public Task UnsubscribeFleet() => LeaveAsync(FleetGroups.Fleet);

    /// <summary>Subscribes to a site's trust changes, utilization and summaries.</summary>
    [HubMethodName(FleetHubMethods.SubscribeSite)]
    public async Task SubscribeSite(string siteId)
    {
        if (!ResourceName.IsValid(siteId))
        {
            throw new HubException($"'{siteId}' is not a site id.");
        }

        var target = FleetGroups.Site(siteId);
        if (SeesEverything || Caller.MaySpeakForSite(siteId))
        {
            await JoinAsync(target);
        }
        else if (ViewerTenant is { } tenant && await TenantPlacement.HostsAtSiteAsync(grains, tenant, siteId))
        {
            await JoinAsViewerAsync(tenant, target);
        }
        else
        {
            throw new HubException($"Not allowed to watch site '{siteId}'.");
        }
    }

    /// <summary>Subscribes to one node's trust changes, utilization and replicas.</summary>
    [HubMethodName(FleetHubMethods.SubscribeNode)]
    public async Task SubscribeNode(string nodeId)
    {
        if (!NodeId.TryParse(nodeId, out var id))
        {
            throw new HubException($"'{nodeId}' is not a node id.");
        }

        var target = FleetGroups.Node(nodeId);
        if (SeesEverything || Caller.MaySpeakForSite(id.SiteId))
        {
            await JoinAsync(target);
        }
        else if (ViewerTenant is { } tenant && await TenantPlacement.HostsOnNodeAsync(grains, tenant, nodeId))
        {
            await JoinAsViewerAsync(tenant, target);
        }
        else
        {
            throw new HubException($"Not allowed to watch node '{nodeId}'.");
        }
    }

    /// <summary>Subscribes to a tenant's replica events.</summary>
    [HubMethodName(FleetHubMethods.SubscribeTenant)]
    public async Task SubscribeTenant(string tenantId)
    {
        EnsureMayReadTenant(tenantId);
        await JoinAsync(FleetGroups.Tenant(tenantId));
    }

    /// <summary>Subscribes to one model's replica events.</summary>
    [HubMethodName(FleetHubMethods.SubscribeModel)]
    public async Task SubscribeModel(string tenantId, string modelId)
    {
        EnsureMayReadTenant(tenantId);
        if (!ResourceName.IsValid(modelId))
        {
            throw new HubException($"'{modelId}' is not a model id.");
        }

        await JoinAsync(FleetGroups.Model(tenantId, modelId));
    }

    /// <summary>Stops watching a site.</summary>
    [HubMethodName(FleetHubMethods.UnsubscribeSite)]
    public Task UnsubscribeSite(string siteId) => LeaveAsync(FleetGroups.Site(siteId));

    /// <summary>Stops watching a node.</summary>
    [HubMethodName(FleetHubMethods.UnsubscribeNode)]
    public Task UnsubscribeNode(string nodeId) => LeaveAsync(FleetGroups.Node(nodeId));

    /// <summary>Stops watching a tenant.</summary>
    [HubMethodName(FleetHubMethods.UnsubscribeTenant)]
    public Task UnsubscribeTenant(string tenantId) => LeaveAsync(FleetGroups.Tenant(tenantId));

    /// <summary>Stops watching a model.</summary>
    [HubMethodName(FleetHubMethods.UnsubscribeModel)]
    public Task UnsubscribeModel(string tenantId, string modelId) => LeaveAsync(FleetGroups.Model(tenantId, modelId));

    /// <inheritdoc />
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        viewers.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private ClaimsPrincipal Caller => Context.User ?? new ClaimsPrincipal();

    private bool SeesEverything => Caller.IsInRole(Roles.Operator) || Caller.IsInRole(Roles.Scheduler);

    private string? ViewerTenant => Caller.IsInRole(Roles.Viewer) ? Caller.FindFirstValue(FleetClaims.Tenant) : null;

    private HashSet<string> Subscriptions
    {
        get
        {
            if (Context.Items.TryGetValue(SubscriptionsItem, out var held) && held is HashSet<string> groups)
            {
                return groups;
            }

            var created = new HashSet<string>(StringComparer.Ordinal);
            Context.Items[SubscriptionsItem] = created;
            return created;
        }
    }

    private async Task JoinAsync(string group)
    {
        Reserve(group);
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
    }

    private async Task JoinAsViewerAsync(string tenantId, string target)
    {
        Reserve(target);
        viewers.Add(Context.ConnectionId, tenantId, target);
        await Groups.AddToGroupAsync(Context.ConnectionId, FleetGroups.Viewer(tenantId, target));
    }

    // Every group joined costs server memory until the connection closes, so one connection may hold only so many.
    private void Reserve(string group)
    {
        if (!Subscriptions.Contains(group) && Subscriptions.Count >= MaxSubscriptionsPerConnection)
        {
            throw new HubException($"A connection may hold at most {MaxSubscriptionsPerConnection} subscriptions.");
        }

        Subscriptions.Add(group);
    }

    private async Task LeaveAsync(string group)
    {
        Subscriptions.Remove(group);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
        if (ViewerTenant is { } tenant)
        {
            viewers.Remove(Context.ConnectionId, group);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, FleetGroups.Viewer(tenant, group));
        }
    }

    private void EnsureMayReadTenant(string tenantId)
    {
        if (!ResourceName.IsValid(tenantId))
        {
            throw new HubException($"'{tenantId}' is not a tenant id.");
        }

        if (!Caller.MayReadTenant(tenantId))
        {
            throw new HubException($"Not allowed to watch tenant '{tenantId}'.");
        }
    }
}
