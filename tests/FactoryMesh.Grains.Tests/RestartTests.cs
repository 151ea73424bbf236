using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static FactoryMesh.Grains.Tests.FleetTestData;

namespace FactoryMesh.Grains.Tests;

// Starts clusters of its own, so it shares the collection that keeps cluster starts one at a time.
[Collection(FleetClusterCollection.Name)]
public sealed class RestartTests
{
    [Fact]
    public async Task Sites_nodes_tenants_and_flushed_utilization_survive_a_silo_restart()
    {
        var clock = new FakeTimeProvider(SqliteFleetCluster.Epoch);
        var first = await SqliteFleetCluster.StartAsync(clock: clock);
        var policy = new TenantPolicy(["DE"], ["EU"], [], ["TDX"], 600, new ObjectiveWeights(1, 1, 0), 100);
        await first.Grains.GetGrain<ISiteGrain>("eu-fra-1").UpsertAsync(Frankfurt);
        await first.Grains.GetGrain<ITenantGrain>("acme").SetPolicyAsync(policy);
        var node = first.Grains.GetGrain<INodeGrain>("eu-fra-1/node-1");
        await node.RegisterAsync(H100Node, null);
        await node.HeartbeatAsync(1, Sample(0.75));
        await first.StopAsync(); // graceful: deactivation writes the utilization behind

        var second = await SqliteFleetCluster.StartAsync(first.DatabasePath, clock);
        try
        {
            var view = await second.Grains.GetGrain<INodeGrain>("eu-fra-1/node-1").GetAsync();
            Assert.NotNull(view);
            Assert.Equal(H100Node, view.Inventory);
            Assert.Equal(1, view.Epoch);
            Assert.Equal(0.75, view.Utilization!.GpuUtilization);
            Assert.Equal(["eu-fra-1"], await second.Grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync());
            var stored = (await second.Grains.GetGrain<ITenantGrain>("acme").GetAsync())!.Policy;
            Assert.Equal(["DE"], stored.AllowedJurisdictions);
            Assert.Equal(["TDX"], stored.RequiredTeeKinds);
            Assert.Equal(policy.Weights, stored.Weights);
            Assert.Equal(100, stored.BudgetUsdPerHour);
            Assert.Single(await second.Grains.GetGrain<ISiteGrain>("eu-fra-1").GetNodeFactsAsync());
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task After_a_restart_a_ready_node_gets_a_fresh_grace_period_and_a_not_ready_node_stays_not_ready()
    {
        var clock = new FakeTimeProvider(SqliteFleetCluster.Epoch);
        var first = await SqliteFleetCluster.StartAsync(clock: clock);
        await first.Grains.GetGrain<ISiteGrain>("eu-fra-1").UpsertAsync(Frankfurt);
        await first.Grains.GetGrain<INodeGrain>("eu-fra-1/alive").RegisterAsync(H100Node, null);
        await first.Grains.GetGrain<INodeGrain>("eu-fra-1/dead").RegisterAsync(H100Node, null);
        clock.Advance(TimeSpan.FromSeconds(20));
        await first.Grains.GetGrain<INodeGrain>("eu-fra-1/alive").HeartbeatAsync(1, Sample(0.5));
        clock.Advance(TimeSpan.FromSeconds(10)); // "dead" has now been silent for the whole 30 s grace
        Assert.Equal(Liveness.NotReady, (await first.Grains.GetGrain<INodeGrain>("eu-fra-1/dead").GetAsync())!.Liveness);
        await first.StopAsync();

        clock.Advance(TimeSpan.FromMinutes(10)); // the control plane was down for ten minutes
        var second = await SqliteFleetCluster.StartAsync(first.DatabasePath, clock);
        try
        {
            Assert.Equal(Liveness.Ready, (await second.Grains.GetGrain<INodeGrain>("eu-fra-1/alive").GetAsync())!.Liveness);
            Assert.Equal(Liveness.NotReady, (await second.Grains.GetGrain<INodeGrain>("eu-fra-1/dead").GetAsync())!.Liveness);
            clock.Advance(TimeSpan.FromSeconds(15));
            Assert.Equal(Liveness.Suspect, (await second.Grains.GetGrain<INodeGrain>("eu-fra-1/alive").GetAsync())!.Liveness);
        }
        finally
        {
            await second.StopAsync();
        }
    }
}
