using System.Net.Http.Json;
using FactoryMesh.Server.Security;
using Microsoft.AspNetCore.SignalR;

namespace FactoryMesh.Server.Tests;

/// <summary>Dashboards' live streams through the fleet hub, with the .NET SignalR client.</summary>
[Collection(ServerCollection.Name)]
public sealed class LiveStreamTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    [Fact]
    public async Task A_site_watcher_sees_trust_changes_utilization_and_summaries_of_its_site()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        await using var dashboard = await HubClient.ConnectAsync(Server, Server.OperatorToken);
        await dashboard.InvokeAsync("SubscribeSite", siteId);
        using var agent = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        var nodeId = $"{siteId}/node-1";
        var epoch = (await ApiAssert.OkJsonAsync(await agent.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode))).GetProperty("epoch").GetInt64();
        using var device = Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));

        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(agent, device, nodeId));
        await ApiAssert.OkJsonAsync(await agent.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", new[] { Fleet.Heartbeat(nodeId, epoch, 0.8) }));

        var trust = await dashboard.NextAsync("trustChanged", e => e.GetProperty("nodeId").GetString() == nodeId, $"for {nodeId}");
        Assert.Equal("Trusted", trust.GetProperty("state").GetString());
        Assert.Equal("Unknown", trust.GetProperty("previousState").GetString());
        Assert.Equal(siteId, trust.GetProperty("siteId").GetString());
        var utilization = await dashboard.NextAsync("utilization", e => e.EnumerateArray().Any(u => u.GetProperty("nodeId").GetString() == nodeId), $"for {nodeId}");
        Assert.Equal(0.8, utilization.EnumerateArray().First(u => u.GetProperty("nodeId").GetString() == nodeId).GetProperty("gpuUtilization").GetDouble());
        var summary = await dashboard.NextAsync("siteSummary", e => e.GetProperty("trusted").GetInt32() == 1, $"for {siteId} with one trusted node");
        Assert.Equal(1, summary.GetProperty("nodes").GetInt32());
    }

    [Fact]
    public async Task A_fleet_watcher_sees_every_sites_trust_changes_and_summaries_without_their_utilization()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        await using var dashboard = await HubClient.ConnectAsync(Server, Server.OperatorToken);
        await dashboard.InvokeAsync("SubscribeFleet");
        var nodeId = $"{siteId}/node-1";
        var epoch = await Fleet.RegisterNodeAsync(op, siteId, "node-1");
        await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", new[] { Fleet.Heartbeat(nodeId, epoch, 0.8) }));
        await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/revoke", new { reason = "fleet watch" }));

        var trust = await dashboard.NextAsync("trustChanged", e => e.GetProperty("nodeId").GetString() == nodeId, $"for {nodeId}");
        Assert.Equal("Untrusted", trust.GetProperty("state").GetString());
        var summary = await dashboard.NextAsync("siteSummary", e => e.GetProperty("siteId").GetString() == siteId && e.GetProperty("untrusted").GetInt32() == 1, $"for {siteId}");
        Assert.Equal(8_000, summary.GetProperty("powerWatts").GetDouble());
        Assert.Equal(2_400, summary.GetProperty("tokensPerSecond").GetDouble());
        await Assert.ThrowsAsync<TimeoutException>(() => dashboard.NextAsync("utilization", TimeSpan.FromSeconds(3), e => e.EnumerateArray().Any(u => u.GetProperty("nodeId").GetString() == nodeId), "no utilization"));
    }

    [Fact]
    public async Task A_viewer_cannot_watch_another_tenant_or_a_node_hosting_none_of_its_replicas()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        await Fleet.RegisterNodeAsync(op, siteId, "node-1");
        using var viewerHttp = await Server.ClientInRoleAsync(Roles.Viewer, tenant: "tenant-a");
        var token = viewerHttp.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var viewer = await HubClient.ConnectAsync(Server, token);

        await viewer.InvokeAsync("SubscribeTenant", "tenant-a");
        await viewer.InvokeAsync("SubscribeModel", "tenant-a", "llama-70b");
        var tenant = await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync("SubscribeTenant", "tenant-b"));
        Assert.Contains("tenant-b", tenant.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync("SubscribeModel", "tenant-b", "llama-70b"));
        await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync("SubscribeNode", $"{siteId}/node-1"));
        await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync("SubscribeSite", siteId));
    }

    [Fact]
    public async Task A_viewer_of_a_shared_site_sees_its_own_tenants_replica_events_only_and_only_while_it_has_replicas_there()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var zone = $"V-{run.ToUpperInvariant()}";
        var (tenantA, tenantB) = ($"va-{run}", $"vb-{run}");
        using var op = Server.Operator();
        var siteId = $"vs-{run}";
        (await op.PutAsJsonAsync($"/api/v1/sites/{siteId}", new { jurisdiction = "DE", zones = new[] { zone }, electricityUsdPerKwh = 0.2, pue = 1.2, carbonGramsPerKwh = 380 })).EnsureSuccessStatusCode();
        var nodeId = $"{siteId}/node-1";
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));
        using var device = Server.Vendor.IssueDevice(nodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(op, device, nodeId));
        var model = new { gpuMemoryGiB = 80, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_400 }, replicas = 1, minSites = 1 };
        foreach (var tenant in new[] { tenantA, tenantB })
        {
            await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenant}", new { allowedZones = new[] { zone } }));
            await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenant}/models/llama", model));
        }

        await ApiAssert.OkJsonAsync(await op.PostAsync($"/api/v1/tenants/{tenantA}/models/llama/placement", null));
        using var viewerHttp = await Server.ClientInRoleAsync(Roles.Viewer, tenant: tenantA);
        await using var viewer = await HubClient.ConnectAsync(Server, viewerHttp.DefaultRequestHeaders.Authorization!.Parameter!);
        await viewer.InvokeAsync("SubscribeSite", siteId);
        await viewer.InvokeAsync("SubscribeNode", nodeId);
        await using var watcher = await HubClient.ConnectAsync(Server, Server.OperatorToken);
        await watcher.InvokeAsync("SubscribeSite", siteId);

        // Tenant B's replica lands on the same node: the operator sees it, tenant A's viewer must not.
        await ApiAssert.OkJsonAsync(await op.PostAsync($"/api/v1/tenants/{tenantB}/models/llama/placement", null));
        await watcher.NextAsync("replicaPlaced", e => e.GetProperty("tenantId").GetString() == tenantB, $"for {tenantB}");

        // Tenant A's replica leaves (its policy now denies Germany): its viewer sees that, then loses the site and node.
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantA}", new { allowedZones = new[] { zone }, deniedJurisdictions = new[] { "DE" } }));
        var evicted = await viewer.NextAsync("replicaEvicted", waitingFor: $"for {tenantA}'s replica");
        Assert.Equal(tenantA, evicted.GetProperty("tenantId").GetString());
        var ended = new[] { await viewer.NextAsync("subscriptionEnded"), await viewer.NextAsync("subscriptionEnded") };
        Assert.Equal(["node", "site"], ended.Select(e => e.GetProperty("kind").GetString()).Order());

        // The node's trust changes afterwards: the operator's watcher sees it, the viewer no longer does.
        await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/revoke", new { reason = "drill" }));
        await watcher.NextAsync("trustChanged", e => e.GetProperty("state").GetString() == "Untrusted", $"for {nodeId}");
        await watcher.NextAsync("replicaEvicted", e => e.GetProperty("tenantId").GetString() == tenantB, $"for {tenantB}");
        await Task.Delay(TimeSpan.FromSeconds(1)); // both go out in one batch; give the viewer's copy time to arrive, if sent
        Assert.DoesNotContain(viewer.Drain("trustChanged"), e => e.GetProperty("state").GetString() == "Untrusted");
        Assert.DoesNotContain(viewer.Drain("replicaPlaced").Concat(viewer.Drain("replicaEvicted")), e => e.GetProperty("tenantId").GetString() == tenantB);
        await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync("SubscribeSite", siteId));
    }

    [Fact]
    public async Task A_connection_holds_a_bounded_number_of_subscriptions()
    {
        await using var dashboard = await HubClient.ConnectAsync(Server, Server.OperatorToken);
        for (var i = 0; i < FactoryMesh.Server.Live.FleetHub.MaxSubscriptionsPerConnection; i++)
        {
            await dashboard.InvokeAsync("SubscribeSite", $"site-{i}");
        }

        await dashboard.InvokeAsync("SubscribeSite", "site-0"); // again: not a new subscription
        var refused = await Assert.ThrowsAsync<HubException>(() => dashboard.InvokeAsync("SubscribeSite", "one-too-many"));
        Assert.Contains("at most", refused.Message, StringComparison.Ordinal);
        await dashboard.InvokeAsync("UnsubscribeSite", "site-0");
        await dashboard.InvokeAsync("SubscribeSite", "one-too-many");
    }

    [Fact]
    public async Task An_agent_may_watch_its_own_site_only_and_no_token_means_no_connection()
    {
        using var op = Server.Operator();
        var own = await Fleet.CreateSiteAsync(op);
        var other = await Fleet.CreateSiteAsync(op);
        using var agentHttp = await Server.ClientInRoleAsync(Roles.Agent, site: own);
        await using var agent = await HubClient.ConnectAsync(Server, agentHttp.DefaultRequestHeaders.Authorization!.Parameter!);

        await agent.InvokeAsync("SubscribeSite", own);
        await agent.InvokeAsync("SubscribeNode", $"{own}/node-9");
        await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync("SubscribeSite", other));
        await Assert.ThrowsAnyAsync<Exception>(() => HubClient.ConnectAsync(Server, "not-a-token"));
    }
}
