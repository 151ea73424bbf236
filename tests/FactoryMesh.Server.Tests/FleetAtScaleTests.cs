using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// Correctness at scale, without timing: 10,000 nodes registered through the batch API, taken through mass
/// transitions on a test clock (<see cref="ManualClock"/>: all Suspect, all NotReady, all back), a bad batch, and a restart. After each step the
/// site counts, the live site summary and the node grains (the node list) must agree.
/// </summary>
public sealed class FleetAtScaleTests
{
    private const int Sites = 2;
    private const int NodesPerSite = 5000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ten_thousand_nodes_stay_consistent_through_mass_transitions_a_bad_batch_and_a_restart()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var first = new ServerFactory(clock: clock);
        string[] siteIds;
        try
        {
            _ = first.Server; // starts the host: silo, schema, operator token
            using var op = first.Operator();
            siteIds = [await Fleet.CreateSiteAsync(op), await Fleet.CreateSiteAsync(op)];
            var agents = new HttpClient[Sites];
            for (var s = 0; s < Sites; s++)
            {
                agents[s] = await first.ClientInRoleAsync("agent", site: siteIds[s]);
                foreach (var batch in Names().Chunk(1000))
                {
                    var results = await ApiAssert.OkJsonAsync(await agents[s].PostAsJsonAsync($"/api/v1/sites/{siteIds[s]}/nodes", batch.Select(NodeItem).ToArray()));
                    Assert.Equal(batch.Length, results.GetArrayLength());
                    Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("registered").GetBoolean() && r.GetProperty("epoch").GetInt64() == 1, r.ToString()));
                }
            }

            await using var dashboard = await HubClient.ConnectAsync(first, first.OperatorToken);
            foreach (var siteId in siteIds)
            {
                await dashboard.InvokeAsync("SubscribeSite", siteId);
            }

            await HeartbeatAllAsync(agents, siteIds);
            await AssertAgreesAsync(op, dashboard, siteIds, "Ready");

            clock.Advance(TimeSpan.FromSeconds(15)); // three intervals of silence
            await AssertAgreesAsync(op, dashboard, siteIds, "Suspect");

            clock.Advance(TimeSpan.FromSeconds(15)); // the whole grace
            await AssertAgreesAsync(op, dashboard, siteIds, "NotReady");

            await HeartbeatAllAsync(agents, siteIds); // the storm: every node back at once
            await AssertAgreesAsync(op, dashboard, siteIds, "Ready");

            // One bad item in a batch of 1000 changes nothing: no node of it is registered again.
            var bad = Names().Take(1000).Select(NodeItem).ToArray();
            bad[500] = NodeItem("node-000500") with { GpuCount = 0 };
            await ApiAssert.InvalidFieldAsync(await agents[0].PostAsJsonAsync($"/api/v1/sites/{siteIds[0]}/nodes", bad), "items[500].gpuCount");
            var nodes = await ListAsync(op, siteIds[0]);
            Assert.All(nodes, n => Assert.Equal(1, n.GetProperty("epoch").GetInt64()));

            // Before the restart, the second site goes silent for the grace: it must come back NotReady, the first Ready.
            clock.Advance(TimeSpan.FromSeconds(20));
            await HeartbeatSiteAsync(agents[0], siteIds[0]);
            clock.Advance(TimeSpan.FromSeconds(10));
            await Eventually.HoldsAsync(async () => (await SiteAsync(op, siteIds[1])).GetProperty("ready").GetInt32() == 0, Patience, "the silent site to be NotReady before the restart");
            foreach (var agent in agents)
            {
                agent.Dispose();
            }
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new ServerFactory(first.DataDirectory, new ManualClock(clock.GetUtcNow()), first.ClusterId);
        try
        {
            _ = second.Server;
            using var op = second.Operator();
            await Eventually.HoldsAsync(
                async () => (await SiteAsync(op, siteIds[0])).GetProperty("ready").GetInt32() == NodesPerSite && (await SiteAsync(op, siteIds[1])).GetProperty("nodes").GetInt32() == NodesPerSite,
                Patience,
                "every node back in its site's index after the restart");
            await AssertListedAsync(op, siteIds[0], "Ready");
            await AssertListedAsync(op, siteIds[1], "NotReady");
            Assert.Equal(0, (await SiteAsync(op, siteIds[1])).GetProperty("ready").GetInt32());
        }
        finally
        {
            await second.DisposeAsync();
            Directory.Delete(first.DataDirectory, recursive: true);
        }
    }

    private static IEnumerable<string> Names() => Enumerable.Range(0, NodesPerSite).Select(i => $"node-{i:D6}");

    private static RegistrationItem NodeItem(string name) => new(name, "H100", 8, 80, "TDX", 10_200, 24);

    private static async Task HeartbeatAllAsync(HttpClient[] agents, string[] siteIds)
    {
        await Task.WhenAll(agents.Select((agent, s) => HeartbeatSiteAsync(agent, siteIds[s])));
    }

    private static async Task HeartbeatSiteAsync(HttpClient agent, string siteId)
    {
        foreach (var batch in Names().Chunk(1000))
        {
            var answers = await ApiAssert.OkJsonAsync(await agent.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", batch.Select(n => Fleet.Heartbeat($"{siteId}/{n}", 1)).ToArray()));
            Assert.All(answers.EnumerateArray(), a => Assert.True(a.GetProperty("accepted").GetBoolean(), a.ToString()));
        }
    }

    // The site index (GET /sites/{id}), the node grains (GET /sites/{id}/nodes asks each) and the live summary agree.
    private static async Task AssertAgreesAsync(HttpClient op, HubClient dashboard, string[] siteIds, string liveness)
    {
        var ready = liveness == "Ready" ? NodesPerSite : 0;
        foreach (var siteId in siteIds)
        {
            await Eventually.HoldsAsync(async () => (await SiteAsync(op, siteId)).GetProperty("ready").GetInt32() == ready, Patience, $"site {siteId} to count {ready} Ready nodes ({liveness})");
            var site = await SiteAsync(op, siteId);
            Assert.Equal(NodesPerSite, site.GetProperty("nodes").GetInt32());
            await AssertListedAsync(op, siteId, liveness);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Count < siteIds.Length)
        {
            // Behind each site's utilization (5,000 nodes a second over long polling here): a generous wait, not a timing test.
            var summary = await dashboard.NextAsync(
                "siteSummary",
                Patience,
                e => e.GetProperty("nodes").GetInt32() == NodesPerSite && e.GetProperty("ready").GetInt32() == ready,
                $"with {NodesPerSite} nodes, {ready} Ready");
            seen.Add(summary.GetProperty("siteId").GetString()!);
        }
    }

    private static async Task AssertListedAsync(HttpClient op, string siteId, string liveness)
    {
        var nodes = await ListAsync(op, siteId);
        Assert.Equal(NodesPerSite, nodes.Count);
        Assert.Equal(NodesPerSite, nodes.Select(n => n.GetProperty("nodeId").GetString()).Distinct().Count());
        Assert.All(nodes, n => Assert.Equal(liveness, n.GetProperty("liveness").GetString()));
    }

    private static async Task<JsonElement> SiteAsync(HttpClient op, string siteId) => await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/sites/{siteId}"));

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(HttpClient op, string siteId)
    {
        using var response = await op.GetAsync($"/api/v1/sites/{siteId}/nodes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ApiAssert.OkJsonAsync(response)).EnumerateArray().ToArray();
    }

    private sealed record RegistrationItem(string NodeId, string GpuModel, int GpuCount, double GpuMemoryGiB, string TeeKind, double PowerWatts, double CostUsdPerHour);
}
