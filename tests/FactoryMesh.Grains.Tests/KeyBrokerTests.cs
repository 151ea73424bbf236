using FactoryMesh.Core.KeyRelease;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains.Tests;

[Collection(FleetClusterCollection.Name)]
public sealed class KeyBrokerTests(FleetClusterFixture fixture)
{
    private SqliteFleetCluster Fleet => fixture.Fleet;

    [Fact]
    public async Task A_node_whose_attestation_went_stale_gets_no_key_although_it_still_holds_the_replica()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var (siteId, tenantId, zone) = ($"k-{run}", $"kt-{run}", $"K-{run.ToUpperInvariant()}");
        var nodeId = $"{siteId}/node-1";
        await Fleet.Grains.GetGrain<ISiteGrain>(siteId).UpsertAsync(new SiteProfile("DE", [zone], 0.2, 1.2, 380));
        var node = Fleet.Grains.GetGrain<INodeGrain>(nodeId);
        await node.RegisterAsync(new NodeInventory("H100", 2, 80, "SIM", 1_400, 12), null);
        using var device = TestAttestation.NewDevice(nodeId);
        var trust = (await TestAttestation.AttestAsync(node, nodeId, device)).Trust;
        await Fleet.Grains.GetGrain<ITenantGrain>(tenantId).SetPolicyAsync(new TenantPolicy([], [zone], [], [], 600, ObjectiveWeights.CostOnly, null));
        using var dataKey = await TestAttestation.Vault.GenerateDataKeyAsync(tenantId);
        var model = Fleet.Grains.GetGrain<IModelGrain>($"{tenantId}/llama");
        await model.DefineAsync(new ModelSpec(80, new Dictionary<string, double> { ["H100"] = 2_400 }, 1, 1), new ModelArtifact("https://a.example/m", new string('b', 64), dataKey.WrappedKey));
        var epoch = (await model.PlaceAsync("scheduler-test")).Model!.PlacementEpoch;
        var teeKey = device.TeePublicJwk.ToJsonString();
        var broker = Fleet.Grains.GetGrain<IKeyBrokerGrain>(0);
        Assert.Equal(KeyRefusal.None, (await broker.ReleaseAsync(nodeId, tenantId, "llama", teeKey, epoch, "agent-test")).Refusal);

        Fleet.Clock.Advance(trust.ExpiresAt!.Value - Fleet.Clock.GetUtcNow());
        await Eventually.HoldsAsync(async () => (await node.GetAsync())!.Trust.State == TrustState.Stale, $"{nodeId} to turn Stale");

        var refused = await broker.ReleaseAsync(nodeId, tenantId, "llama", teeKey, epoch, "agent-test");
        Assert.Equal(KeyRefusal.NodeNotTrusted, refused.Refusal);
        Assert.Contains("Stale", refused.Detail, StringComparison.Ordinal);
        Assert.Null(refused.Jwe);
    }
}
