using System.Net;
using System.Net.Http.Json;
using System.Text;
using FactoryMesh.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace FactoryMesh.Server.Tests;

/// <summary>What bounds one caller: rate limits per token, body limits per route, and no grain woken for an id nobody created.</summary>
[Collection(ServerCollection.Name)]
public sealed class RequestLimitsTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    [Fact]
    public async Task One_agent_token_flooding_heartbeats_is_answered_429_with_retry_after_while_another_token_goes_through()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var epoch = await Fleet.RegisterNodeAsync(op, siteId, "node-1");
        var beat = new[] { Fleet.Heartbeat($"{siteId}/node-1", epoch) };
        using var flooder = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        using var neighbour = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);

        // The agent policy's bucket holds 400 batches and refills 100 a second: 1,000 at once must overflow it.
        var answers = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => flooder.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", beat)));

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.Contains(answers, a => a.IsSuccessStatusCode);
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode || a.StatusCode == HttpStatusCode.TooManyRequests, a.StatusCode.ToString()));
        Assert.True(int.Parse(limited[0].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", limited[0].Content.Headers.ContentType?.MediaType);
        Assert.True((await neighbour.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", beat)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Bodies_over_a_routes_limit_are_refused_413_before_they_are_read_and_change_nothing()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var before = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/sites/{siteId}"));

        // A site profile is a small object: 64 KiB is its route's limit. Evidence may be larger, up to 256 KiB.
        var padded = $$"""{"jurisdiction": "FR", "zones": ["EU"], "electricityUsdPerKwh": 0.1, "pue": 1.1, "carbonGramsPerKwh": 50, "padding": "{{new string('x', 70 * 1024)}}"}""";
        var tooLarge = await op.PutAsync($"/api/v1/sites/{siteId}", new StringContent(padded, Encoding.UTF8, "application/json"));
        var evidence = await op.PostAsync($"{Fleet.NodeUrl($"{siteId}/node-1")}/attestation", new StringContent($$"""{"format": "sim-jws", "evidence": "{{new string('a', 300 * 1024)}}"}""", Encoding.UTF8, "application/json"));

        var problem = await ApiAssert.ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 65536", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ApiAssert.ProblemAsync(evidence, HttpStatusCode.RequestEntityTooLarge);
        var after = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/sites/{siteId}"));
        Assert.Equal(before.GetProperty("profile").GetRawText(), after.GetProperty("profile").GetRawText());
    }

    [Fact]
    public async Task Reading_or_attesting_sites_and_nodes_nobody_created_activates_no_grain_for_them()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        await Fleet.RegisterNodeAsync(op, siteId, "node-1");
        var management = Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        async Task<int> ActivationsAsync(string grainType) =>
            (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains(grainType, StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        var (sitesBefore, nodesBefore) = (await ActivationsAsync("SiteGrain"), await ActivationsAsync("NodeGrain"));

        for (var i = 0; i < 50; i++)
        {
            var ghost = $"ghost-{Guid.NewGuid():N}"[..20];
            Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/api/v1/sites/{ghost}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/api/v1/sites/{ghost}/nodes")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync(Fleet.NodeUrl($"{ghost}/node-1"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync(Fleet.NodeUrl($"{siteId}/ghost-{i}"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync($"{Fleet.NodeUrl($"{siteId}/ghost-{i}")}/revoke", new { reason = "probe" })).StatusCode);
        }

        Assert.Equal(sitesBefore, await ActivationsAsync("SiteGrain"));
        Assert.Equal(nodesBefore, await ActivationsAsync("NodeGrain"));
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync(Fleet.NodeUrl($"{siteId}/node-1"))).StatusCode);
    }
}
