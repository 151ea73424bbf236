using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains.Tests;

/// <summary>Placement end to end on the grains: scheduler, reservations, self-healing.</summary>
[Collection(FleetClusterCollection.Name)]
public sealed class PlacementTests(FleetClusterFixture fixture)
{
    private static readonly ModelSpec Llama = new(80, new Dictionary<string, double> { ["H100"] = 2_400 }, Replicas: 2, MinSites: 2);
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    private SqliteFleetCluster Fleet => fixture.Fleet;

    private string Site(string name) => $"{name}-{_run}";

    // Tests share one cluster: each test's EU sites carry a zone of their own, which its tenant requires.
    private string Eu => $"EU-{_run.ToUpperInvariant()}";

    private async Task<List<string>> AddSiteAsync(string name, SiteProfile profile, params double[] nodePowerWatts)
    {
        var siteId = Site(name);
        await Fleet.Grains.GetGrain<ISiteGrain>(siteId).UpsertAsync(profile);
        var nodes = new List<string>();
        for (var i = 0; i < nodePowerWatts.Length; i++)
        {
            var nodeId = $"{siteId}/node-{i}";
            var node = Fleet.Grains.GetGrain<INodeGrain>(nodeId);
            await node.RegisterAsync(new NodeInventory("H100", 2, 80, "SIM", nodePowerWatts[i], 12), null);
            Assert.Equal(AppraisalCheckNone, (await TestAttestation.AttestAsync(node, nodeId, TestAttestation.DeviceOf(nodeId))).FailedCheck);
            nodes.Add(nodeId);
        }

        return nodes;
    }

    private const Core.Attestation.AppraisalCheck AppraisalCheckNone = Core.Attestation.AppraisalCheck.None;

    private async Task<(string Tenant, IModelGrain Model)> EuTenantModelAsync(ObjectiveWeights weights, ModelSpec? spec = null)
    {
        var tenantId = $"eu-{_run}";
        await Fleet.Grains.GetGrain<ITenantGrain>(tenantId).SetPolicyAsync(new TenantPolicy([], [Eu], [], ["SIM"], 600, weights, null));
        var model = Fleet.Grains.GetGrain<IModelGrain>($"{tenantId}/llama");
        await model.DefineAsync(spec ?? Llama, null);
        return (tenantId, model);
    }

    [Fact]
    public async Task An_eu_only_tenant_lands_only_in_germany_and_france_and_energy_weights_pick_the_lowest_joules_per_token()
    {
        var de = await AddSiteAsync("de", new SiteProfile("DE", [Eu], 0.20, 1.3, 380), 1_600, 1_200);
        var fr = await AddSiteAsync("fr", new SiteProfile("FR", [Eu], 0.15, 1.1, 60), 1_500, 1_100);
        await AddSiteAsync("us", new SiteProfile("US", [], 0.05, 1.1, 400), 400, 400);
        await AddSiteAsync("in", new SiteProfile("IN", [], 0.04, 1.4, 700), 400, 400);
        var (_, model) = await EuTenantModelAsync(new ObjectiveWeights(0, 1, 0));

        var outcome = await model.PlaceAsync("scheduler-test");

        Assert.True(outcome.Decision.Feasible, string.Join("; ", outcome.Decision.BindingConstraints));
        var placed = outcome.Model!.Replicas.Select(r => r.NodeId).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([de[1], fr[1]], placed); // the lower-power node of each EU site: spread over 2 sites, least J/token
        Assert.Contains(outcome.Decision.Excluded, e => e.NodeId.StartsWith(Site("us"), StringComparison.Ordinal) || e.NodeId.StartsWith(Site("in"), StringComparison.Ordinal)
            ? e.Reason == ExclusionReason.Sovereignty : e.Reason == ExclusionReason.Outranked);
        Assert.Equal("Placed", outcome.Model.Status);
        Assert.Equal(1, outcome.Model.PlacementEpoch);
        var node = await Fleet.Grains.GetGrain<INodeGrain>(fr[1]).GetAsync();
        Assert.Equal([$"eu-{_run}/llama"], node!.Replicas);
        var facts = (await Fleet.Grains.GetGrain<ISiteGrain>(Site("fr")).GetNodeFactsAsync()).Single(f => f.NodeId == fr[1]);
        Assert.Equal(80, facts.FreeGpuMemoryGiB);
    }

    [Fact]
    public async Task A_node_made_stale_loses_its_replica_within_the_grace_period_and_a_replacement_lands_on_an_allowed_node()
    {
        var de = await AddSiteAsync("de", new SiteProfile("DE", [Eu], 0.20, 1.3, 380), 1_000, 1_400);
        var fr = await AddSiteAsync("fr", new SiteProfile("FR", [Eu], 0.15, 1.1, 60), 1_000, 1_400);
        var (tenantId, model) = await EuTenantModelAsync(new ObjectiveWeights(0, 1, 0));
        var first = (await model.PlaceAsync("scheduler-test")).Model!;
        var victim = first.Replicas[0].NodeId;

        // Every agent keeps heartbeating; everyone but the victim re-attests later, so only the victim goes Stale.
        var all = de.Concat(fr).ToList();
        await AdvanceWithHeartbeatsAsync(TimeSpan.FromSeconds(300), all);
        foreach (var nodeId in de.Concat(fr).Where(n => n != victim))
        {
            await TestAttestation.AttestAsync(Fleet.Grains.GetGrain<INodeGrain>(nodeId), nodeId, TestAttestation.DeviceOf(nodeId));
        }

        var victimExpiry = (await Fleet.Grains.GetGrain<INodeGrain>(victim).GetAsync())!.Trust.ExpiresAt!.Value;
        await AdvanceWithHeartbeatsAsync(victimExpiry - Fleet.Clock.GetUtcNow(), all);
        await Eventually.HoldsAsync(async () => (await Fleet.Grains.GetGrain<INodeGrain>(victim).GetAsync())!.Trust.State == TrustState.Stale, $"{victim} to turn Stale");
        Assert.Contains(victim, (await model.GetAsync())!.Replicas.Select(r => r.NodeId)); // still inside the grace period

        await AdvanceWithHeartbeatsAsync(TimeSpan.FromSeconds(29), all);
        Assert.Contains(victim, (await model.GetAsync())!.Replicas.Select(r => r.NodeId));
        await AdvanceWithHeartbeatsAsync(TimeSpan.FromSeconds(1), all);
        await Eventually.HoldsAsync(async () => !(await model.GetAsync())!.Replicas.Any(r => r.NodeId == victim), $"{victim} to lose its replica at the end of the grace");
        await Eventually.HoldsAsync(async () => (await model.GetAsync())!.Replicas.Count == 2, "a replacement replica");

        var after = (await model.GetAsync())!;
        Assert.All(after.Replicas, r => Assert.True(r.SiteId == Site("de") || r.SiteId == Site("fr")));
        Assert.Equal(2, after.Replicas.Select(r => r.SiteId).Distinct().Count());
        Assert.True(after.PlacementEpoch >= 3, $"epoch {after.PlacementEpoch}: one bump for the eviction, one for the replacement");
        Assert.Empty((await Fleet.Grains.GetGrain<INodeGrain>(victim).GetAsync())!.Replicas);
        var audit = await Fleet.Audit.ReadAsync(victim, null, 0, 100);
        Assert.Contains(audit, r => r.Body.Contains("replica-evicted", StringComparison.Ordinal) && r.Body.Contains($"{tenantId}/llama", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rebalancing_after_recovery_moves_replicas_only_for_a_gain_above_the_migration_cost_and_within_the_move_budget()
    {
        var siteId = Site("de");
        await Fleet.Grains.GetGrain<ISiteGrain>(siteId).UpsertAsync(new SiteProfile("DE", [Eu], 0.20, 1.3, 380));
        async Task<string> NodeAsync(string name, double powerWatts, bool attest)
        {
            var nodeId = $"{siteId}/{name}";
            var node = Fleet.Grains.GetGrain<INodeGrain>(nodeId);
            await node.RegisterAsync(new NodeInventory("H100", 2, 80, "SIM", powerWatts, 12), null);
            if (attest)
            {
                await TestAttestation.AttestAsync(node, nodeId, TestAttestation.DeviceOf(nodeId));
            }

            return nodeId;
        }

        var busy = new[] { await NodeAsync("old-1", 2_000, attest: true), await NodeAsync("old-2", 2_000, attest: true) };
        var slightlyBetter = await NodeAsync("meh", 1_900, attest: false);
        var recovered = new[] { await NodeAsync("good-1", 800, attest: false), await NodeAsync("good-2", 800, attest: false) };
        var (_, model) = await EuTenantModelAsync(new ObjectiveWeights(0, 1, 0), new ModelSpec(80, new Dictionary<string, double> { ["H100"] = 2_400 }, 2, 1));
        Assert.Equal(busy, (await model.PlaceAsync("scheduler-test")).Model!.Replicas.Select(r => r.NodeId));

        await TestAttestation.AttestAsync(Fleet.Grains.GetGrain<INodeGrain>(slightlyBetter), slightlyBetter, TestAttestation.DeviceOf(slightlyBetter));
        Assert.Equal(0, await model.RebalanceAsync()); // 5 % better does not pay the 10 % migration cost

        foreach (var nodeId in recovered)
        {
            await TestAttestation.AttestAsync(Fleet.Grains.GetGrain<INodeGrain>(nodeId), nodeId, TestAttestation.DeviceOf(nodeId));
        }

        Assert.Equal(1, await model.RebalanceAsync());     // one move per minute
        Assert.Equal(0, await model.RebalanceAsync());
        var halfway = (await model.GetAsync())!;
        Assert.Equal(2, halfway.Replicas.Count);
        Assert.Single(halfway.Replicas, r => recovered.Contains(r.NodeId));

        await AdvanceWithHeartbeatsAsync(TimeSpan.FromSeconds(61), busy.Concat(recovered).Append(slightlyBetter).ToList());
        Assert.Equal(1, await model.RebalanceAsync());
        var done = (await model.GetAsync())!;
        Assert.Equal(recovered, done.Replicas.Select(r => r.NodeId).Order(StringComparer.Ordinal));
        Assert.All(busy, nodeId => Assert.Empty(Fleet.Grains.GetGrain<INodeGrain>(nodeId).GetAsync().Result!.Replicas));
        Assert.Equal(0, await model.RebalanceAsync());
    }

    // Moves the clock in heartbeat-sized steps with every listed node heartbeating, as live agents would.
    private async Task AdvanceWithHeartbeatsAsync(TimeSpan total, IReadOnlyList<string> nodes)
    {
        var step = TimeSpan.FromSeconds(5);
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            Fleet.Clock.Advance(total - moved < step ? total - moved : step);
            foreach (var nodeId in nodes)
            {
                var node = Fleet.Grains.GetGrain<INodeGrain>(nodeId);
                Assert.Equal(HeartbeatRefusal.None, (await node.HeartbeatAsync((await node.GetAsync())!.Epoch, FleetTestData.Sample(0.5))).Refusal);
            }
        }
    }

    [Fact]
    public async Task Concurrent_placements_of_many_models_never_double_book_capacity()
    {
        var nodes = (await AddSiteAsync("de", new SiteProfile("DE", [Eu], 0.20, 1.3, 380), 1_000, 1_100, 1_200))
            .Concat(await AddSiteAsync("fr", new SiteProfile("FR", [Eu], 0.15, 1.1, 60), 1_000, 1_100)).ToList();
        var tenantId = $"eu-{_run}";
        await Fleet.Grains.GetGrain<ITenantGrain>(tenantId).SetPolicyAsync(new TenantPolicy([], [Eu], [], [], 600, new ObjectiveWeights(1, 0, 0), null));
        var single = new ModelSpec(80, new Dictionary<string, double> { ["H100"] = 2_400 }, Replicas: 1, MinSites: 1);
        var models = Enumerable.Range(0, 16).Select(i => Fleet.Grains.GetGrain<IModelGrain>($"{tenantId}/model-{i}")).ToList();
        await Task.WhenAll(models.Select(m => m.DefineAsync(single, null)));

        var outcomes = await Task.WhenAll(models.Select(m => m.PlaceAsync("scheduler-test")));

        var placed = outcomes.Count(o => o.Model!.Replicas.Count == 1);
        Assert.Equal(10, placed); // 5 nodes × 2 GPUs of 80 GiB, one GPU per replica
        var views = await Task.WhenAll(nodes.Select(n => Fleet.Grains.GetGrain<INodeGrain>(n).GetAsync()));
        Assert.All(views, v => Assert.Equal(2, v!.Replicas.Count));
        var hosts = outcomes.SelectMany(o => o.Model!.Replicas.Select(r => r.NodeId)).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(hosts.Values, count => Assert.Equal(2, count));
    }
}
