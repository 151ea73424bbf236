using System.Security.Claims;
using FactoryMesh.Core.Identity;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FactoryMesh.Server.Live;

/// <summary>
/// The live fleet hub (<c>/hubs/fleet</c>). Every subscription is authorized when it is made, because groups
/// only route: operators and schedulers see everything; an agent sees its own site and its nodes; a viewer sees
/// its own tenant and models, and the sites and nodes that host its replicas. A refused subscription fails
/// with a hub error and joins nothing.
/// </summary>
[Authorize]
public sealed class FleetHub(IGrainFactory grains) : Hub
{
    /// <summary>Subscribes to a site's trust changes, utilization and summaries.</summary>
    public async Task SubscribeSite(string siteId)
    {
        if (!ResourceName.IsValid(siteId))
        {
            throw new HubException($"'{siteId}' is not a site id.");
        }

        if (!await MaySeeSiteAsync(siteId))
        {
            throw new HubException($"Not allowed to watch site '{siteId}'.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, FleetGroups.Site(siteId));
    }

    /// <summary>Subscribes to one node's trust changes, utilization and replicas.</summary>
    public async Task SubscribeNode(string nodeId)
    {
        if (!NodeId.TryParse(nodeId, out var id))
        {
            throw new HubException($"'{nodeId}' is not a node id.");
        }

        if (!await MaySeeNodeAsync(id))
        {
            throw new HubException($"Not allowed to watch node '{nodeId}'.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, FleetGroups.Node(nodeId));
    }

    /// <summary>Subscribes to a tenant's replica events.</summary>
    public async Task SubscribeTenant(string tenantId)
    {
        EnsureMayReadTenant(tenantId);
        await Groups.AddToGroupAsync(Context.ConnectionId, FleetGroups.Tenant(tenantId));
    }

    /// <summary>Subscribes to one model's replica events.</summary>
    public async Task SubscribeModel(string tenantId, string modelId)
    {
        EnsureMayReadTenant(tenantId);
        if (!ResourceName.IsValid(modelId))
        {
            throw new HubException($"'{modelId}' is not a model id.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, FleetGroups.Model(tenantId, modelId));
    }

    /// <summary>Stops watching a site.</summary>
    public Task UnsubscribeSite(string siteId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, FleetGroups.Site(siteId));

    /// <summary>Stops watching a node.</summary>
    public Task UnsubscribeNode(string nodeId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, FleetGroups.Node(nodeId));

    /// <summary>Stops watching a tenant.</summary>
    public Task UnsubscribeTenant(string tenantId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, FleetGroups.Tenant(tenantId));

    /// <summary>Stops watching a model.</summary>
    public Task UnsubscribeModel(string tenantId, string modelId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, FleetGroups.Model(tenantId, modelId));

    private ClaimsPrincipal Caller => Context.User ?? new ClaimsPrincipal();

    private bool SeesEverything => Caller.IsInRole(Roles.Operator) || Caller.IsInRole(Roles.Scheduler);

    private string? ViewerTenant => Caller.IsInRole(Roles.Viewer) ? Caller.FindFirstValue(FleetClaims.Tenant) : null;

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

    private async Task<bool> MaySeeSiteAsync(string siteId)
    {
        if (SeesEverything || Caller.MaySpeakForSite(siteId))
        {
            return true;
        }

        if (ViewerTenant is not { } tenant)
        {
            return false;
        }

        var facts = await grains.GetGrain<ISiteGrain>(siteId).GetNodeFactsAsync();
        var nodes = await Task.WhenAll(facts.Select(f => grains.GetGrain<INodeGrain>(f.NodeId).GetAsync()));
        return nodes.Any(n => HostsTenant(n, tenant));
    }

    private async Task<bool> MaySeeNodeAsync(NodeId nodeId)
    {
        if (SeesEverything || Caller.MaySpeakForSite(nodeId.SiteId))
        {
            return true;
        }

        return ViewerTenant is { } tenant && HostsTenant(await grains.GetGrain<INodeGrain>(nodeId.ToString()).GetAsync(), tenant);
    }

    private static bool HostsTenant(NodeView? node, string tenantId) =>
        node is not null && node.Replicas.Any(r => r.StartsWith(tenantId + "/", StringComparison.Ordinal));
}
