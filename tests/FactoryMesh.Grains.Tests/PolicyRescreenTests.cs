using FactoryMesh.Core.KeyRelease;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains.Tests;

/// <summary>
/// Policy holds after placement: a tenant's policy or a site's profile that changes re-screens placed replicas, and
/// key release judges the tenant's policy as it is at the request, not as it was at placement.
/// </summary>
[Collection(FleetClusterCollection.Name)]
public sealed class PolicyRescreenTests(FleetClusterFixture fixture)
{
    private static readonly ModelSpec OneReplica = new(80, new Dictionary<string, double> { ["H100"] = 2_400 }, 1, 1);
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    private SqliteFleetCluster Fleet => fixture.Fleet;

    private string Zone => $"R-{_run.ToUpperInvariant()}";

    private string TenantId => $"rt-{_run}";

    private TenantPolicy Policy(IReadOnlyList<string>? denied = null, IReadOnlyList<string>? teeKinds = null, int maxAgeSeconds = 600) =>
        new([], [Zone], denied ?? [], teeKinds ?? [], maxAgeSeconds, ObjectiveWeights.CostOnly, null);

    // Two sites of the test's zone: Germany (cheaper power, where the replica goes first) and France.
    private async Task<(string German, string French)> TwoTrustedNodesAsync()
    {
        var german = await TrustedNodeAsync($"rde-{_run}", new SiteProfile("DE", [Zone], 0.10, 1.1, 380));
        var french = await TrustedNodeAsync($"rfr-{_run}", new SiteProfile("FR", [Zone], 0.30, 1.4, 60));
        return (german, french);
    }

    private async Task<string> TrustedNodeAsync(string siteId, SiteProfile profile)
    {
        await Fleet.Grains.GetGrain<ISiteGrain>(siteId).UpsertAsync(profile);
        var nodeId = $"{siteId}/node-1";
        var node = Fleet.Grains.GetGrain<INodeGrain>(nodeId);
        await node.RegisterAsync(new NodeInventory("H100", 2, 80, "SIM", 1_400, 12), null);
        await TestAttestation.AttestAsync(node, nodeId, TestAttestation.DeviceOf(nodeId));
        return nodeId;
    }

    private async Task<(IModelGrain Model, long Epoch)> PlacedModelAsync(TenantPolicy policy)
    {
        await Fleet.Grains.GetGrain<ITenantGrain>(TenantId).SetPolicyAsync(policy);
        using var dataKey = await TestAttestation.Vault.GenerateDataKeyAsync(TenantId);
        var model = Fleet.Grains.GetGrain<IModelGrain>($"{TenantId}/llama");
        await model.DefineAsync(OneReplica, new ModelArtifact("https://a.example/m", new string('b', 64), dataKey.WrappedKey));
        var placed = (await model.PlaceAsync("scheduler-test")).Model!;
        return (model, placed.PlacementEpoch);
    }

    private static string[] Hosts(ModelView view) => view.Replicas.Select(r => r.NodeId).ToArray();

    [Fact]
    public async Task A_tenant_that_denies_a_jurisdiction_loses_its_replicas_there_and_gets_them_elsewhere()
    {
        var (german, french) = await TwoTrustedNodesAsync();
        var (model, epoch) = await PlacedModelAsync(Policy());
        Assert.Equal([german], Hosts((await model.GetAsync())!));

        await Fleet.Grains.GetGrain<ITenantGrain>(TenantId).SetPolicyAsync(Policy(denied: ["DE"]));
        var evicted = await Fleet.Grains.GetGrain<IComplianceGrain>(0).RescreenTenantAsync(TenantId, "tenant policy changed");

        var view = (await model.GetAsync())!;
        Assert.Equal(1, evicted);
        Assert.Equal([french], Hosts(view));
        Assert.True(view.PlacementEpoch > epoch);
        Assert.Empty((await Fleet.Grains.GetGrain<INodeGrain>(german).GetAsync())!.Replicas);
    }

    [Fact]
    public async Task A_required_tee_kind_the_node_lacks_evicts_the_replica()
    {
        await TwoTrustedNodesAsync();
        var (model, _) = await PlacedModelAsync(Policy());

        await Fleet.Grains.GetGrain<ITenantGrain>(TenantId).SetPolicyAsync(Policy(teeKinds: ["TDX"]));
        var evicted = await Fleet.Grains.GetGrain<IComplianceGrain>(0).RescreenTenantAsync(TenantId, "tenant policy changed");

        Assert.Equal(1, evicted);
        Assert.Empty((await model.GetAsync())!.Replicas); // no SIM node qualifies any more: Unplaced, not misplaced
    }

    [Fact]
    public async Task A_site_that_changes_jurisdiction_is_re_screened_for_every_tenant()
    {
        var (german, french) = await TwoTrustedNodesAsync();
        var (model, _) = await PlacedModelAsync(Policy(denied: ["US"]));

        await Fleet.Grains.GetGrain<ISiteGrain>(german.Split('/')[0]).UpsertAsync(new SiteProfile("US", [Zone], 0.10, 1.1, 380));
        await Fleet.Grains.GetGrain<IComplianceGrain>(0).RescreenFleetAsync("site changed jurisdiction");

        Assert.Equal([french], Hosts((await model.GetAsync())!));
    }

    [Fact]
    public async Task Key_release_judges_the_tenant_policy_as_it_is_at_the_request()
    {
        var (german, _) = await TwoTrustedNodesAsync();
        var (_, epoch) = await PlacedModelAsync(Policy());
        var broker = Fleet.Grains.GetGrain<IKeyBrokerGrain>(0);
        var teeKey = TestAttestation.DeviceOf(german).TeePublicJwk.ToJsonString();
        Assert.Equal(KeyRefusal.None, (await broker.ReleaseAsync(german, TenantId, "llama", teeKey, epoch, "agent-test")).Refusal);

        // The policy changes and nothing has re-screened yet (the API re-screens at once; the broker must not rely on it).
        var tenant = Fleet.Grains.GetGrain<ITenantGrain>(TenantId);
        await tenant.SetPolicyAsync(Policy(denied: ["DE"]));
        Assert.Equal(KeyRefusal.OutsideTenantPolicy, (await broker.ReleaseAsync(german, TenantId, "llama", teeKey, epoch, "agent-test")).Refusal);

        await tenant.SetPolicyAsync(Policy(teeKinds: ["SNP"]));
        Assert.Equal(KeyRefusal.OutsideTenantPolicy, (await broker.ReleaseAsync(german, TenantId, "llama", teeKey, epoch, "agent-test")).Refusal);

        // Two seconds: well inside the node's liveness grace (the test heartbeats nothing) and its trust's freshness.
        await tenant.SetPolicyAsync(Policy(maxAgeSeconds: 1));
        Fleet.Clock.Advance(TimeSpan.FromSeconds(2));
        var tooOld = await broker.ReleaseAsync(german, TenantId, "llama", teeKey, epoch, "agent-test");
        Assert.Equal(KeyRefusal.AttestationTooOld, tooOld.Refusal);
        Assert.Null(tooOld.Jwe);

        await tenant.SetPolicyAsync(Policy());
        Assert.Equal(KeyRefusal.None, (await broker.ReleaseAsync(german, TenantId, "llama", teeKey, epoch, "agent-test")).Refusal);
    }
}
