using System.Text.Json;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// Two sites' simulated agents against the real server: registration, trust kept fresh across several freshness
/// periods, Stale when an agent is told to stop attesting, Trusted again when it resumes, Untrusted while a node
/// reports debug on. It runs alone: its 20 s freshness leaves an agent little slack, and beside the other tests' servers and
/// agents on two cores a starved agent was once seen missing its re-attestation.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class FleetLifecycleTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(ControlPlaneFixture.MaxAgeSeconds);

    private static string State(JsonElement node) => node.GetProperty("trust").GetProperty("state").GetString()!;

    private static string Describe(IEnumerable<JsonElement> nodes) =>
        string.Join("; ", nodes.Select(n => $"{n.GetProperty("nodeId").GetString()}: {State(n)} ({n.GetProperty("trust").GetProperty("reason").GetString()}), {n.GetProperty("liveness").GetString()}"));

    private async Task<bool> AllAsync(string siteId, int count, Func<JsonElement, bool> condition)
    {
        var nodes = await fixture.NodesAsync(siteId);
        return nodes.Count == count && nodes.All(condition);
    }

    [Fact]
    public async Task Nodes_register_become_trusted_stay_trusted_go_stale_when_told_to_stop_attesting_and_come_back()
    {
        const int Nodes = 3;
        await fixture.StartSiteAsync("eu-fra-1", Nodes);
        await fixture.StartSiteAsync("in-mum-1", Nodes);
        static bool TrustedAndReady(JsonElement n) => State(n) == "Trusted" && n.GetProperty("liveness").GetString() == "Ready";
        static bool Heartbeating(JsonElement n) => TrustedAndReady(n) && n.GetProperty("utilization").ValueKind == JsonValueKind.Object;

        // Registered, heartbeating and attested.
        foreach (var site in new[] { "eu-fra-1", "in-mum-1" })
        {
            await Eventually.HoldsAsync(() => AllAsync(site, Nodes, Heartbeating), TimeSpan.FromSeconds(30), $"{site}'s nodes register, heartbeat and become Trusted and Ready");
        }

        var fra = await fixture.NodesAsync("eu-fra-1");
        Assert.Equal(["B200", "H100", "H200"], fra.Select(n => n.GetProperty("inventory").GetProperty("gpuModel").GetString()).Order());
        Assert.All(fra, n => Assert.InRange(n.GetProperty("utilization").GetProperty("powerWatts").GetDouble(), 600, 11_200));

        // Trusted throughout three freshness periods: the agent re-attests well before each expiry.
        var watchFrom = DateTimeOffset.UtcNow;
        var verifiedBefore = fra.ToDictionary(n => n.GetProperty("nodeId").GetString()!, n => n.GetProperty("trust").GetProperty("verifiedAt").GetDateTimeOffset());
        while (DateTimeOffset.UtcNow < watchFrom + (3 * Freshness))
        {
            foreach (var site in new[] { "eu-fra-1", "in-mum-1" })
            {
                var nodes = await fixture.NodesAsync(site);
                Assert.True(nodes.All(n => State(n) == "Trusted"), $"every node stays Trusted: {Describe(nodes)}");
            }

            await Task.Delay(500);
        }

        foreach (var node in await fixture.NodesAsync("eu-fra-1"))
        {
            var nodeId = node.GetProperty("nodeId").GetString()!;
            var renewedBy = node.GetProperty("trust").GetProperty("verifiedAt").GetDateTimeOffset() - verifiedBefore[nodeId];
            Assert.True(renewedBy > 2 * Freshness, $"{nodeId} was re-attested about every half freshness; its appraisal moved by only {renewedBy}");
            var transitions = (await fixture.AuditAsync(nodeId, watchFrom)).Where(e => e.GetProperty("kind").GetString() == "transition").ToList();
            Assert.Empty(transitions);
        }

        // Told to stop attesting, eu-fra-1's nodes go Stale when their attestation expires; in-mum-1 is untouched,
        // and heartbeats go on, so eu-fra-1's nodes stay Ready.
        await File.WriteAllTextAsync(fixture.FaultFile("eu-fra-1"), """{"*": ["stop-attesting"]}""");
        await Eventually.HoldsAsync(() => AllAsync("eu-fra-1", Nodes, n => State(n) == "Stale"), Freshness + TimeSpan.FromSeconds(6), "eu-fra-1's nodes go Stale");
        var stale = await fixture.NodesAsync("eu-fra-1");
        Assert.All(stale, n => Assert.Equal("Ready", n.GetProperty("liveness").GetString()));
        await Eventually.HoldsAsync(() => AllAsync("in-mum-1", Nodes, TrustedAndReady), TimeSpan.FromSeconds(10), "in-mum-1 untouched by eu-fra-1's fault");

        // Resumed, they attest at once and are Trusted again.
        File.Delete(fixture.FaultFile("eu-fra-1"));
        await Eventually.HoldsAsync(() => AllAsync("eu-fra-1", Nodes, TrustedAndReady), TimeSpan.FromSeconds(15), "eu-fra-1's nodes are Trusted again after the agent resumes");

        // A fault in the evidence itself is shown at once, not at the next refresh: the appraisal fails and names why.
        await File.WriteAllTextAsync(fixture.FaultFile("in-mum-1"), """{"node-002": ["debug-on"]}""");
        await Eventually.HoldsAsync(
            async () => (await fixture.NodesAsync("in-mum-1")).Single(n => n.GetProperty("nodeId").GetString() == "in-mum-1/node-002") is var node
                && State(node) == "Untrusted" && node.GetProperty("trust").GetProperty("reason").GetString()!.StartsWith("DebugEnabled", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "in-mum-1/node-002 reports debug on and is Untrusted");
        await File.WriteAllTextAsync(fixture.FaultFile("in-mum-1"), "{}");
        await Eventually.HoldsAsync(() => AllAsync("in-mum-1", Nodes, TrustedAndReady), TimeSpan.FromSeconds(10), "in-mum-1/node-002 is Trusted again once debug is off");
    }
}
