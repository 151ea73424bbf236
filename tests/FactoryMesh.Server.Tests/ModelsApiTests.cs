using System.Net;
using System.Net.Http.Json;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>Models and placement as a scheduler drives them over HTTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModelsApiTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    private static object Model(int replicas = 1) => new
    {
        gpuMemoryGiB = 80,
        tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_400 },
        replicas,
        minSites = 1,
        artifact = new { uri = "s3://models/llama.enc", sha256 = new string('a', 64), wrappedKey = "d3JhcHBlZA" },
    };

    private async Task<(string TenantId, string Zone, string SiteId)> TenantWithTrustedNodeAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var zone = $"Z-{run.ToUpperInvariant()}";
        var tenantId = $"t-{run}";
        var siteId = $"s-{run}";
        using var op = Server.Operator();
        (await op.PutAsJsonAsync($"/api/v1/sites/{siteId}", new { jurisdiction = "DE", zones = new[] { zone }, electricityUsdPerKwh = 0.2, pue = 1.2, carbonGramsPerKwh = 380 })).EnsureSuccessStatusCode();
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", new { allowedZones = new[] { zone } }));
        var nodeId = $"{siteId}/node-1";
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));
        using var device = Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(op, device, nodeId));
        return (tenantId, zone, siteId);
    }

    [Fact]
    public async Task A_scheduler_defines_and_places_a_model_and_the_tenants_viewer_sees_where_it_runs()
    {
        var (tenantId, _, siteId) = await TenantWithTrustedNodeAsync();
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        await ApiAssert.OkJsonAsync(await scheduler.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/llama", Model()));

        var placement = await ApiAssert.OkJsonAsync(await scheduler.PostAsync($"/api/v1/tenants/{tenantId}/models/llama/placement", null));

        Assert.Equal("Placed", placement.GetProperty("status").GetString());
        var replica = Assert.Single(placement.GetProperty("replicas").EnumerateArray());
        Assert.Equal($"{siteId}/node-1", replica.GetProperty("nodeId").GetString());
        Assert.True(replica.GetProperty("costUsdPerMTok").GetDouble() > 0);
        Assert.True(replica.GetProperty("joulesPerToken").GetDouble() > 0);
        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: tenantId);
        var model = await ApiAssert.OkJsonAsync(await viewer.GetAsync($"/api/v1/tenants/{tenantId}/models/llama"));
        Assert.Equal(1, model.GetProperty("placementEpoch").GetInt64());
        Assert.Equal(new string('a', 64), model.GetProperty("artifact").GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Explain_weighs_every_eligible_node_says_why_the_others_were_left_out_and_is_for_operators_and_schedulers()
    {
        var (tenantId, _, siteId) = await TenantWithTrustedNodeAsync();
        using var op = Server.Operator();
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-2", SimulatedFleet.SimNode)); // never attested
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        await ApiAssert.OkJsonAsync(await scheduler.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/llama", Model()));
        await ApiAssert.OkJsonAsync(await scheduler.PostAsync($"/api/v1/tenants/{tenantId}/models/llama/placement", null));

        var explained = await ApiAssert.OkJsonAsync(await scheduler.GetAsync($"/api/v1/tenants/{tenantId}/models/llama/placement/explain?limit=5"));

        Assert.Equal(1, explained.GetProperty("eligibleCount").GetInt32());
        var candidate = Assert.Single(explained.GetProperty("candidates").EnumerateArray());
        Assert.Equal($"{siteId}/node-1", candidate.GetProperty("nodeId").GetString());
        Assert.True(candidate.GetProperty("chosen").GetBoolean() && candidate.GetProperty("current").GetBoolean());
        Assert.True(candidate.GetProperty("costUsdPerMTok").GetDouble() > 0 && candidate.GetProperty("objective").GetDouble() >= 1);
        Assert.Equal([$"{siteId}/node-1"], explained.GetProperty("current").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(1, explained.GetProperty("excludedByReason").GetProperty("NotTrusted").GetInt32());
        Assert.Contains(explained.GetProperty("excluded").EnumerateArray(), e => e.GetProperty("nodeId").GetString() == $"{siteId}/node-2" && e.GetProperty("reason").GetString() == "NotTrusted");
        await ApiAssert.InvalidFieldAsync(await scheduler.GetAsync($"/api/v1/tenants/{tenantId}/models/llama/placement/explain?limit=0"), "limit");
        await ApiAssert.ProblemAsync(await scheduler.GetAsync($"/api/v1/tenants/{tenantId}/models/nope/placement/explain"), HttpStatusCode.NotFound);
        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: tenantId);
        await ApiAssert.ProblemAsync(await viewer.GetAsync($"/api/v1/tenants/{tenantId}/models/llama/placement/explain"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task No_feasible_placement_answers_409_with_the_binding_constraints_and_changes_nothing()
    {
        var (tenantId, _, _) = await TenantWithTrustedNodeAsync();
        using var op = Server.Operator();
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/huge", new
        {
            gpuMemoryGiB = 800,
            tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 100 },
            replicas = 1,
        }));

        var problem = await ApiAssert.ProblemAsync(await op.PostAsync($"/api/v1/tenants/{tenantId}/models/huge/placement", null), HttpStatusCode.Conflict);

        Assert.NotEmpty(problem.GetProperty("bindingConstraints").EnumerateArray());
        Assert.Contains(problem.GetProperty("excluded").EnumerateArray(), e => e.GetProperty("reason").GetString() == "Capacity");
        var model = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/tenants/{tenantId}/models/huge"));
        Assert.Equal("Unplaced", model.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bad_model_specs_name_their_fields_and_viewers_and_agents_cannot_place()
    {
        var (tenantId, _, siteId) = await TenantWithTrustedNodeAsync();
        using var op = Server.Operator();
        var problem = await ApiAssert.InvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/bad", new
        {
            gpuMemoryGiB = -1,
            tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_400 },
            replicas = 1,
            artifact = new { uri = "not a uri", sha256 = "xyz", wrappedKey = "" },
        }), "artifact.uri");
        Assert.True(problem.GetProperty("errors").TryGetProperty("artifact.sha256", out _));
        await ApiAssert.ProblemAsync(await op.PutAsJsonAsync("/api/v1/tenants/no-such-tenant/models/llama", Model()), HttpStatusCode.NotFound);

        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: tenantId);
        using var agent = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        await ApiAssert.ProblemAsync(await viewer.PostAsync($"/api/v1/tenants/{tenantId}/models/llama/placement", null), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await agent.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/llama", Model()), HttpStatusCode.Forbidden);
    }
}
