using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>What the dashboard starts from: the sites' recent history and a tenant's models, over HTTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class HistoryApiTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    [Fact]
    public async Task The_sites_history_holds_a_sample_per_reading_with_the_figures_the_site_reported()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var epoch = await Fleet.RegisterNodeAsync(op, siteId, "node-1");
        await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", new[] { Fleet.Heartbeat($"{siteId}/node-1", epoch, 0.5) }));

        // The fixture reads the sites every 0.5 s: within seconds the site's trend holds samples with its heartbeat's figures.
        JsonElement[] samples = [];
        await Eventually.HoldsAsync(async () =>
        {
            var history = await ApiAssert.OkJsonAsync(await op.GetAsync("/api/v1/history/sites?minutes=5"));
            samples = [.. history.EnumerateArray().Where(t => t.GetProperty("siteId").GetString() == siteId).SelectMany(t => t.GetProperty("samples").EnumerateArray())];
            return samples.Count(s => s.GetProperty("powerWatts").GetDouble() == 8_000) >= 2;
        }, TimeSpan.FromSeconds(20), "two samples of the site with its heartbeat's power");

        var last = samples[^1];
        Assert.Equal(1, last.GetProperty("nodes").GetInt32());
        Assert.Equal(0.5, last.GetProperty("gpuUtilization").GetDouble(), 3);
        Assert.Equal(2_400, last.GetProperty("tokensPerSecond").GetDouble());
        var times = samples.Select(s => s.GetProperty("at").GetDateTimeOffset()).ToArray();
        Assert.Equal(times.Order(), times); // oldest first
        Assert.All(times, t => Assert.InRange(t, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(5)));

        // Every caller who may list the sites may read their history; anonymous callers may not.
        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: "acme");
        await ApiAssert.OkJsonAsync(await viewer.GetAsync("/api/v1/history/sites"));
        using var anonymous = Server.ClientWith(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/history/sites")).StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("16")]
    [InlineData("NaN")]
    public async Task A_window_outside_what_the_server_keeps_is_refused_by_name(string minutes)
    {
        using var op = Server.Operator();
        await ApiAssert.InvalidFieldAsync(await op.GetAsync($"/api/v1/history/sites?minutes={minutes}"), "minutes");
    }

    [Fact]
    public async Task A_tenants_models_are_listed_for_its_viewer_and_for_no_other_tenants_viewer()
    {
        var tenantId = $"t-{Guid.NewGuid():N}"[..10];
        using var op = Server.Operator();
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", new { allowedZones = new[] { "EU" } }));
        foreach (var model in new[] { "zeta", "alpha" })
        {
            await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/{model}",
                new { gpuMemoryGiB = 80, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_000 }, replicas = 1 }));
        }

        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: tenantId);
        var models = await ApiAssert.OkJsonAsync(await viewer.GetAsync($"/api/v1/tenants/{tenantId}/models"));
        Assert.Equal(["alpha", "zeta"], models.EnumerateArray().Select(m => m.GetProperty("modelId").GetString()));
        Assert.All(models.EnumerateArray(), m => Assert.Equal("Unplaced", m.GetProperty("status").GetString()));

        using var stranger = await Server.ClientInRoleAsync(Roles.Viewer, tenant: "someone-else");
        await ApiAssert.ProblemAsync(await stranger.GetAsync($"/api/v1/tenants/{tenantId}/models"), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await op.GetAsync("/api/v1/tenants/no-such-tenant/models"), HttpStatusCode.NotFound);
    }
}
