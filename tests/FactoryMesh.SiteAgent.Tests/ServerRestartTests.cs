using System.Text.Json;
using FactoryMesh.SiteAgent.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The control plane killed and started again (same data folder, same ports) under a running agent.</summary>
[Collection(AloneCollection.Name)]
public sealed class ServerRestartTests(ControlPlaneFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ControlPlaneFixture>
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

    [Fact]
    public async Task After_an_outage_longer_than_the_grace_a_site_of_a_thousand_nodes_is_ready_again_in_one_round_of_batches()
    {
        const string Site = "us-east-1";
        const int Nodes = 1000;
        var agent = await fixture.StartSiteAsync(Site, Nodes, "--FactoryMesh:Agent:Attestation:MaxConcurrent=2");
        await Eventually.HoldsAsync(async () => (await fixture.NodesAsync(Site)) is { Count: Nodes } nodes && nodes.All(n => n.GetProperty("liveness").GetString() == "Ready"), TimeSpan.FromSeconds(90), "the site's nodes register and heartbeat");
        var counters = agent.Services.GetRequiredService<AgentCounters>();
        var epochs = (await fixture.NodesAsync(Site)).ToDictionary(n => n.GetProperty("nodeId").GetString()!, n => n.GetProperty("epoch").GetInt64());

        // Down for longer than the grace (15 s here): with one heartbeat a second, a replayed backlog would be 17 batches.
        (long Heartbeats, long Registrations, long Attestation) before = default;
        var sinceRestart = new System.Diagnostics.Stopwatch();
        await fixture.KillAndRestartAsync(TimeSpan.FromSeconds(17), () =>
        {
            before = (counters.CallsAnswered(ControlPlaneRoute.Heartbeats), counters.CallsAnswered(ControlPlaneRoute.Registration), counters.CallsAnswered(ControlPlaneRoute.Attestation));
            sinceRestart.Start();
        });
        (long Heartbeats, long Registrations, long Attestation) until = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                until = (counters.CallsAnswered(ControlPlaneRoute.Heartbeats), counters.CallsAnswered(ControlPlaneRoute.Registration), counters.CallsAnswered(ControlPlaneRoute.Attestation));
                // The restarted server gives every node a fresh grace, so Ready alone proves nothing: each node must have been
                // registered again by the agent (a new epoch) and be heard from under it.
                return (await fixture.NodesAsync(Site)).Count(n => n.GetProperty("liveness").GetString() == "Ready"
                    && n.GetProperty("epoch").GetInt64() > epochs[n.GetProperty("nodeId").GetString()!]) == Nodes;
            },
            TimeSpan.FromSeconds(60),
            "every node is registered again and Ready");

        var heartbeatCalls = until.Heartbeats - before.Heartbeats;
        var registrationCalls = until.Registrations - before.Registrations;
        var seconds = sinceRestart.Elapsed.TotalSeconds;
        output.WriteLine($"{heartbeatCalls} heartbeat, {registrationCalls} registration and {until.Attestation - before.Attestation} attestation calls answered in the {seconds:0.0} s from the restart until every node was registered again and Ready");

        // The newest heartbeats as one batch of a thousand and the registration round as one, then one heartbeat batch per
        // second (the interval) while the server starts and the test polls: never the seventeen the outage missed.
        Assert.True(heartbeatCalls + registrationCalls <= Math.Ceiling(Nodes / 1000.0) + 1 + Math.Ceiling(seconds),
            $"{heartbeatCalls} heartbeat and {registrationCalls} registration calls in the {seconds:0.0} s until every node was Ready ({until.Attestation - before.Attestation} attestation calls beside them)");
    }
}
