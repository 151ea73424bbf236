using System.Text.Json;
using FactoryMesh.SiteAgent.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The control plane killed and started again (same data folder, same ports) under a running agent.</summary>
public sealed class ServerRestartTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private static string State(JsonElement node) => node.GetProperty("trust").GetProperty("state").GetString()!;

    [Fact]
    public async Task Killing_and_restarting_the_server_loses_no_node_and_the_agent_recovers_on_its_own()
    {
        const string Site = "eu-par-1";
        const int Nodes = 3;
        var agent = await fixture.StartSiteAsync(Site, Nodes);
        await Eventually.HoldsAsync(async () => (await fixture.NodesAsync(Site)) is { Count: Nodes } nodes && nodes.All(n => State(n) == "Trusted"), TimeSpan.FromSeconds(30), "the site's nodes become Trusted");
        var epochs = (await fixture.NodesAsync(Site)).ToDictionary(n => n.GetProperty("nodeId").GetString()!, n => n.GetProperty("epoch").GetInt64());

        // Down for longer than a heartbeat period and its retries, so the agent notices.
        await fixture.KillAndRestartAsync(TimeSpan.FromSeconds(5));

        var survivors = await fixture.NodesAsync(Site);
        Assert.Equal(epochs.Keys.Order(), survivors.Select(n => n.GetProperty("nodeId").GetString()!).Order());
        await Eventually.HoldsAsync(
            async () => (await fixture.NodesAsync(Site)) is { Count: Nodes } nodes
                && nodes.All(n => State(n) == "Trusted" && n.GetProperty("liveness").GetString() == "Ready" && n.GetProperty("epoch").GetInt64() > epochs[n.GetProperty("nodeId").GetString()!]),
            TimeSpan.FromSeconds(40),
            "after the restart every node is registered again, heartbeating and Trusted");
        var counters = agent.Services.GetRequiredService<AgentCounters>();
        await Eventually.HoldsAsync(() => counters.Reregistrations >= Nodes, TimeSpan.FromSeconds(5), "the agent has counted its re-registrations (it may read the answer after the server shows it)");
        Assert.Equal(Nodes, (await fixture.NodesAsync(Site)).Count);
    }
}
