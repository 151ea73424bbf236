using FactoryMesh.Core.Nodes;
using FactoryMesh.Grains.Abstractions;
using static FactoryMesh.Grains.Tests.FleetTestData;

namespace FactoryMesh.Grains.Tests;

[Collection(FleetClusterCollection.Name)]
public sealed class NodeGrainTests(FleetClusterFixture fixture)
{
    private SqliteFleetCluster Fleet => fixture.Fleet;

    private async Task<string> NewSiteAsync()
    {
        var siteId = UniqueSiteId();
        await Fleet.Grains.GetGrain<ISiteGrain>(siteId).UpsertAsync(Frankfurt);
        return siteId;
    }

    [Fact]
    public async Task Registration_bumps_the_epoch_and_puts_the_node_in_its_site_index()
    {
        var siteId = await NewSiteAsync();
        var node = Fleet.Grains.GetGrain<INodeGrain>($"{siteId}/node-1");

        var first = await node.RegisterAsync(H100Node, expectedEpoch: null);
        var second = await node.RegisterAsync(H100Node with { CostUsdPerHour = 20 }, expectedEpoch: 1);

        Assert.Equal(RegistrationOutcome.Registered, first.Outcome);
        Assert.Equal(1, first.Node!.Epoch);
        Assert.Equal(2, second.Node!.Epoch);
        var facts = Assert.Single(await Fleet.Grains.GetGrain<ISiteGrain>(siteId).GetNodeFactsAsync());
        Assert.Equal($"{siteId}/node-1", facts.NodeId);
        Assert.Equal(20, facts.Inventory.CostUsdPerHour);
        Assert.Equal(640, facts.FreeGpuMemoryGiB);
        Assert.Equal(2, facts.Epoch);
    }

    [Fact]
    public async Task An_agent_holding_an_older_epoch_can_neither_register_nor_heartbeat()
    {
        var siteId = await NewSiteAsync();
        var node = Fleet.Grains.GetGrain<INodeGrain>($"{siteId}/node-1");
        await node.RegisterAsync(H100Node, null);
        await node.RegisterAsync(H100Node, null); // a newer agent process takes over: epoch 2

        var staleRegistration = await node.RegisterAsync(H100Node with { GpuCount = 4 }, expectedEpoch: 1);

        Assert.Equal(RegistrationOutcome.StaleEpoch, staleRegistration.Outcome);
        Assert.Equal(HeartbeatRefusal.StaleEpoch, (await node.HeartbeatAsync(1, Sample(0.5))).Refusal);
        Assert.Equal(HeartbeatRefusal.FutureEpoch, (await node.HeartbeatAsync(3, Sample(0.5))).Refusal);
        var view = await node.GetAsync();
        Assert.Equal(8, view!.Inventory.GpuCount);
        Assert.Null(view.Utilization);
    }

    [Fact]
    public async Task Unknown_nodes_and_unknown_sites_are_refused_and_nothing_is_stored()
    {
        var siteId = UniqueSiteId();
        var node = Fleet.Grains.GetGrain<INodeGrain>($"{siteId}/node-1");

        Assert.Equal(HeartbeatRefusal.UnknownNode, (await node.HeartbeatAsync(1, Sample(0.5))).Refusal);
        var result = await node.RegisterAsync(H100Node, null);

        Assert.Equal(RegistrationOutcome.UnknownSite, result.Outcome);
        Assert.Null(await node.GetAsync());
        Assert.Equal(0, await Fleet.QueryScalarAsync($"SELECT COUNT(*) FROM GrainState WHERE GrainIdString LIKE '%{siteId}%'"));
    }

    [Fact]
    public async Task Heartbeat_reporting_more_memory_than_the_node_has_is_refused()
    {
        var siteId = await NewSiteAsync();
        var node = Fleet.Grains.GetGrain<INodeGrain>($"{siteId}/node-1");
        await node.RegisterAsync(H100Node, null);

        var refusal = (await node.HeartbeatAsync(1, Sample(0.5) with { GpuMemoryUsedGiB = 641 })).Refusal;

        Assert.Equal(HeartbeatRefusal.MemoryExceedsInventory, refusal);
    }

    [Fact]
    public async Task A_grain_written_many_times_keeps_one_row_whose_version_counts_every_write()
    {
        var siteId = await NewSiteAsync();
        var node = Fleet.Grains.GetGrain<INodeGrain>($"{siteId}/node-1");
        const int Registrations = 250;
        for (var i = 0; i < Registrations; i++)
        {
            await node.RegisterAsync(H100Node, null);
        }

        Assert.Equal(Registrations, (await node.GetAsync())!.Epoch);
        var where = $"WHERE GrainId LIKE '%/{siteId}/node-1' AND PartitionKey = '{siteId}'";
        Assert.Equal(1, await Fleet.QueryScalarAsync($"SELECT COUNT(*) FROM PartitionedGrainState {where}"));
        Assert.Equal(Registrations, await Fleet.QueryScalarAsync($"SELECT Version FROM PartitionedGrainState {where}"));
    }

    [Fact]
    public async Task Liveness_turns_suspect_then_not_ready_at_the_exact_instants_and_ready_on_the_next_heartbeat()
    {
        var siteId = await NewSiteAsync();
        var node = Fleet.Grains.GetGrain<INodeGrain>($"{siteId}/node-1");
        var site = Fleet.Grains.GetGrain<ISiteGrain>(siteId);
        await node.RegisterAsync(H100Node, null);
        Assert.Equal(HeartbeatRefusal.None, (await node.HeartbeatAsync(1, Sample(0.4))).Refusal);
        var tick = TimeSpan.FromTicks(1);

        Fleet.Clock.Advance(TimeSpan.FromSeconds(15) - tick);
        Assert.Equal(Liveness.Ready, (await node.GetAsync())!.Liveness);
        Fleet.Clock.Advance(tick);
        Assert.Equal(Liveness.Suspect, (await node.GetAsync())!.Liveness);
        await Eventually.HoldsAsync(async () => (await site.GetNodeFactsAsync())[0].Liveness == Liveness.Suspect, $"site {siteId} to index the node as Suspect");

        Fleet.Clock.Advance(TimeSpan.FromSeconds(15) - tick);
        Assert.Equal(Liveness.Suspect, (await node.GetAsync())!.Liveness);
        Fleet.Clock.Advance(tick);
        Assert.Equal(Liveness.NotReady, (await node.GetAsync())!.Liveness);
        await Eventually.HoldsAsync(async () => (await site.GetNodeFactsAsync())[0].Liveness == Liveness.NotReady, $"site {siteId} to index the node as NotReady");

        Assert.Equal(HeartbeatRefusal.None, (await node.HeartbeatAsync(1, Sample(0.6))).Refusal);
        Assert.Equal(Liveness.Ready, (await node.GetAsync())!.Liveness);
        Assert.Equal(Liveness.Ready, (await site.GetNodeFactsAsync())[0].Liveness);
        Assert.Equal(1, (await site.GetAsync())!.Ready);
    }

    [Fact]
    public async Task Heartbeats_never_write_storage_liveness_transitions_are_written_behind_and_utilization_reaches_the_site_when_reported()
    {
        var siteId = await NewSiteAsync();
        var nodeId = $"{siteId}/node-1";
        var node = Fleet.Grains.GetGrain<INodeGrain>(nodeId);
        var site = Fleet.Grains.GetGrain<ISiteGrain>(siteId);
        await node.RegisterAsync(H100Node, null);
        var version = $"SELECT Version FROM PartitionedGrainState WHERE GrainId LIKE '%/{nodeId}'";
        var afterRegistration = await Fleet.QueryScalarAsync(version);

        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(HeartbeatRefusal.None, (await node.HeartbeatAsync(1, Sample(i / 10.0))).Refusal);
        }

        // Ten heartbeats, no write: the hot path stays off the disk.
        Assert.Equal(afterRegistration, await Fleet.QueryScalarAsync(version));

        // Suspect by the timer, Ready again on a heartbeat: each transition is one write, made behind.
        Fleet.Clock.Advance(TimeSpan.FromSeconds(15));
        await Eventually.HoldsAsync(async () => await Fleet.QueryScalarAsync(version) == afterRegistration + 1, $"node {nodeId} to write its Suspect transition behind");
        Assert.Equal(HeartbeatRefusal.None, (await node.HeartbeatAsync(1, Sample(0.9))).Refusal);
        await Eventually.HoldsAsync(async () => await Fleet.QueryScalarAsync(version) == afterRegistration + 2, $"node {nodeId} to write its Ready transition behind");

        await site.ReportUtilizationAsync([new NodeUtilization(nodeId, Sample(1.0)), new NodeUtilization($"{siteId}/not-registered", Sample(0.0))]);
        await Eventually.HoldsAsync(async () => (await site.GetAsync())!.GpuUtilization == 1.0, $"site {siteId} to take the node's latest utilization and ignore an unknown node");
    }
}
