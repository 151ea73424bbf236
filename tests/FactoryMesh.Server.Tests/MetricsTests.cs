using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FactoryMesh.Contracts.Http;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format after a scripted scenario. Every in-process test server shares the process's
/// meters, so counters are compared as growth of at least what the scenario did; the per-site gauges name this test's own
/// site and must be exact.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class MetricsTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    [Fact]
    public async Task An_operator_scrapes_appraisals_key_decisions_placement_latency_and_each_sites_trust_counts()
    {
        using var op = Server.Operator();
        var before = await ScrapeAsync(op);
        var run = Guid.NewGuid().ToString("N")[..6];
        var (siteId, tenantId, zone) = ($"s-{run}", $"t-{run}", $"Z-{run.ToUpperInvariant()}");
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync(ApiRoutes.Site(siteId), new SiteProfileBody("DE", [zone], 0.1, 1.2, 300)));
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", new { allowedZones = new[] { zone } }));
        foreach (var name in new[] { "good", "debug" })
        {
            await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync(ApiRoutes.SiteNode(siteId, name), SimulatedFleet.SimNode));
            using var device = Server.Vendor.IssueDevice(name, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
            await SimulatedFleet.AttestAsync(op, device, $"{siteId}/{name}", debug: name == "debug");
        }

        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/m",
            new { gpuMemoryGiB = 80, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_000 }, replicas = 1 }));
        await ApiAssert.OkJsonAsync(await op.PostAsync($"/api/v1/tenants/{tenantId}/models/m/placement", null));
        using var agent = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        var refused = await agent.PostAsJsonAsync(ApiRoutes.NodeKey($"{siteId}/good", tenantId, "nope"), new { teePublicKey = new { kty = "EC" }, placementEpoch = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var after = await ScrapeAsync(op);
        Assert.True(Value(after, "factorymesh_attestation_appraisals_total", "check=\"None\"") >= Value(before, "factorymesh_attestation_appraisals_total", "check=\"None\"") + 1);
        Assert.True(Value(after, "factorymesh_attestation_appraisals_total", "check=\"DebugEnabled\"") >= Value(before, "factorymesh_attestation_appraisals_total", "check=\"DebugEnabled\"") + 1);
        Assert.True(Value(after, "factorymesh_keys_decisions_total", "outcome=\"UnknownModel\"") >= Value(before, "factorymesh_keys_decisions_total", "outcome=\"UnknownModel\"") + 1);
        Assert.True(Value(after, "factorymesh_placement_duration_seconds_count", "kind=\"model\"") >= Value(before, "factorymesh_placement_duration_seconds_count", "kind=\"model\"") + 1);
        Assert.Contains("# TYPE factorymesh_placement_duration_seconds histogram", after, StringComparison.Ordinal);

        await Eventually.HoldsAsync(async () =>
        {
            var text = await ScrapeAsync(op);
            return Value(text, "factorymesh_site_nodes", $"site=\"{siteId}\",trust=\"Trusted\"") == 1
                && Value(text, "factorymesh_site_nodes", $"site=\"{siteId}\",trust=\"Untrusted\"") == 1
                && Value(text, "factorymesh_site_nodes", $"site=\"{siteId}\",trust=\"Stale\"") == 0;
        }, TimeSpan.FromSeconds(20), "the site's trust counts in the gauges");
    }

    [Fact]
    public async Task A_metrics_token_scrapes_each_nodes_power_utilization_and_framebuffer_in_dcgms_units()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var (busy, idle) = ($"{siteId}/busy", $"{siteId}/idle");
        var busyEpoch = await Fleet.RegisterNodeAsync(op, siteId, "busy");
        var idleEpoch = await Fleet.RegisterNodeAsync(op, siteId, "idle");
        await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync(ApiRoutes.Heartbeats(siteId), new object[]
        {
            new { nodeId = busy, epoch = busyEpoch, gpuUtilization = 0.75, gpuMemoryUsedGiB = 100, powerWatts = 8_000, tokensPerSecond = 2_400 },
            new { nodeId = idle, epoch = idleEpoch, gpuUtilization = 0.0, gpuMemoryUsedGiB = 2.5, powerWatts = 600, tokensPerSecond = 0 },
        }));

        var issued = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync("/api/v1/tokens", new { role = Roles.Metrics }));
        using var scraper = Server.ClientWith(issued.GetProperty("token").GetString());
        await Eventually.HoldsAsync(async () =>
        {
            var text = await ScrapeAsync(scraper);
            return Value(text, "factorymesh_node_power_usage_watts", $"node=\"{busy}\",site=\"{siteId}\"") == 8_000
                && Value(text, "factorymesh_node_gpu_util_percent", $"node=\"{busy}\",site=\"{siteId}\"") == 75
                && Value(text, "factorymesh_node_fb_used_mebibytes", $"node=\"{busy}\",site=\"{siteId}\"") == 102_400
                && Value(text, "factorymesh_node_power_usage_watts", $"node=\"{idle}\",site=\"{siteId}\"") == 600
                && Value(text, "factorymesh_node_fb_used_mebibytes", $"node=\"{idle}\",site=\"{siteId}\"") == 2_560
                && Value(text, "factorymesh_site_power_watts", $"site=\"{siteId}\"") == 8_600;
        }, TimeSpan.FromSeconds(20), "each node's figures and their site's sum in the scrape");

        // The metrics role scrapes and reads nothing an operator alone may.
        Assert.Equal(HttpStatusCode.Forbidden, (await scraper.GetAsync("/api/v1/audit?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scraper.GetAsync($"/api/v1/sites/{siteId}/nodes")).StatusCode);
    }

    [Fact]
    public async Task Only_operators_and_metrics_tokens_may_scrape()
    {
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        Assert.Equal(HttpStatusCode.Forbidden, (await scheduler.GetAsync("/metrics")).StatusCode);
        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: "acme");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/metrics")).StatusCode);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    // The samples of <paramref name="metric"/> whose labels contain <paramref name="labels"/>, summed: every in-process
    // server's meter of the same name is exported, each as its own series. 0 when there is none yet.
    private static double Value(string exposition, string metric, string labels) =>
        Sample().Matches(exposition)
            .Where(m => m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>[^ \n]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
