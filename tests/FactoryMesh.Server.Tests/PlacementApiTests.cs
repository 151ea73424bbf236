using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.Contracts.Http;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>Joint placement of a tenant's models over HTTP, as a scheduler re-plans them.</summary>
[Collection(ServerCollection.Name)]
public sealed class PlacementApiTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    // One site of its own zone, three attested nodes: an 8-GPU node cheap enough for both models, a 1-GPU node nearly as good
    // for the small one, and a dear 8-GPU node. Placed one at a time, small first, the small model takes the cheap node and the
    // large one (all eight GPUs) is left with the dear node; a joint plan moves the small model aside and saves.
    private async Task<string> TenantWithContendedModelsAsync()
    {
        using var op = Server.Operator();
        var (tenantId, siteId) = await TenantWithOwnSiteAsync(op);
        foreach (var (name, gpus, watts, cost) in new[] { ("cheap", 8, 10_200.0, 10.0), ("small", 1, 1_300.0, 1.4), ("dear", 8, 10_200.0, 40.0) })
        {
            await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync(ApiRoutes.SiteNode(siteId, name), new NodeRegistrationBody("H100", gpus, 80, "SIM", watts, cost)));
            using var device = Server.Vendor.IssueDevice(name, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
            await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(op, device, $"{siteId}/{name}", gpuCount: gpus));
        }

        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        foreach (var (model, gib) in new[] { ("small", 60), ("large", 600) })
        {
            await ApiAssert.OkJsonAsync(await scheduler.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/{model}",
                new { gpuMemoryGiB = gib, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 3_000 }, replicas = 1, minSites = 1 }));
            await ApiAssert.OkJsonAsync(await scheduler.PostAsync($"/api/v1/tenants/{tenantId}/models/{model}/placement", null));
        }

        return tenantId;
    }

    // A tenant that may use only a zone of its own, and the one site in it: other tests' nodes never count.
    private static async Task<(string TenantId, string SiteId)> TenantWithOwnSiteAsync(HttpClient op)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var zone = $"Z-{run.ToUpperInvariant()}";
        var (tenantId, siteId) = ($"t-{run}", $"s-{run}");
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync(ApiRoutes.Site(siteId), new SiteProfileBody("DE", [zone], 0.1, 1.2, 300)));
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", new { allowedZones = new[] { zone } }));
        return (tenantId, siteId);
    }

    private static string[] Nodes(JsonElement plan, string key) =>
        plan.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("key").GetString() == key)
            .GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("nodeId").GetString()!.Split('/')[1]).ToArray();

    private static async Task<string[]> PlacedAsync(HttpClient client, string tenantId, string model) =>
        (await ApiAssert.OkJsonAsync(await client.GetAsync($"/api/v1/tenants/{tenantId}/models/{model}")))
            .GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("nodeId").GetString()!.Split('/')[1]).ToArray();

    [Fact]
    public async Task A_dry_run_answers_the_better_joint_plan_and_changes_nothing_then_applying_it_moves_both_models()
    {
        var tenantId = await TenantWithContendedModelsAsync();
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        Assert.Equal(["cheap"], await PlacedAsync(scheduler, tenantId, "small"));
        Assert.Equal(["dear"], await PlacedAsync(scheduler, tenantId, "large"));

        var dry = await ApiAssert.OkJsonAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(tenantId, DryRun: true)));

        Assert.False(dry.GetProperty("applied").GetBoolean());
        var plan = dry.GetProperty("plan");
        Assert.Equal(["small"], Nodes(plan, $"{tenantId}/small"));
        Assert.Equal(["cheap"], Nodes(plan, $"{tenantId}/large"));
        Assert.Equal((2, 0), (plan.GetProperty("moves").GetInt32(), plan.GetProperty("forcedMoves").GetInt32()));
        Assert.Equal("optimal", plan.GetProperty("status").GetString());
        Assert.True(plan.GetProperty("objective").GetDouble() < plan.GetProperty("currentObjective").GetDouble() - 0.5);
        Assert.Equal(["cheap"], await PlacedAsync(scheduler, tenantId, "small"));
        Assert.Equal(["dear"], await PlacedAsync(scheduler, tenantId, "large"));

        var limited = await ApiAssert.OkJsonAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(tenantId, DryRun: true, MaxMoves: 0)));
        Assert.Equal(0, limited.GetProperty("plan").GetProperty("moves").GetInt32());

        var applied = await ApiAssert.OkJsonAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(tenantId)));

        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Equal((2, 2, 0), (applied.GetProperty("added").GetInt32(), applied.GetProperty("removed").GetInt32(), applied.GetProperty("refused").GetInt32()));
        Assert.Equal(["small"], await PlacedAsync(scheduler, tenantId, "small"));
        Assert.Equal(["cheap"], await PlacedAsync(scheduler, tenantId, "large"));
        using var op = Server.Operator();
        var audit = await ApiAssert.OkJsonAsync(await op.GetAsync("/api/v1/audit?limit=200"));
        Assert.Contains(audit.EnumerateArray(), r => r.GetProperty("entry").GetProperty("kind").GetString() == "fleet-placement"
            && r.GetProperty("entry").GetProperty("reason").GetString()!.StartsWith($"tenant {tenantId}:", StringComparison.Ordinal));

        var again = await ApiAssert.OkJsonAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(tenantId)));
        Assert.Equal((0, 0), (again.GetProperty("added").GetInt32(), again.GetProperty("plan").GetProperty("moves").GetInt32()));
    }

    [Fact]
    public async Task A_fleet_too_small_for_the_tenants_models_is_planned_as_far_as_it_goes_and_says_which_model_is_short()
    {
        using var op = Server.Operator();
        var (tenantId, siteId) = await TenantWithOwnSiteAsync(op);
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync(ApiRoutes.SiteNode(siteId, "only"), SimulatedFleet.SimNode));
        using var device = Server.Vendor.IssueDevice("only", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(op, device, $"{siteId}/only"));
        foreach (var model in new[] { "first", "second" })
        {
            await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/{model}",
                new { gpuMemoryGiB = 600, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 1_000 }, replicas = 1 }));
        }

        await ApiAssert.OkJsonAsync(await op.PostAsync($"/api/v1/tenants/{tenantId}/models/first/placement", null));

        var plan = (await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(tenantId, DryRun: true)))).GetProperty("plan");

        Assert.Equal(["only"], Nodes(plan, $"{tenantId}/first"));
        Assert.Empty(Nodes(plan, $"{tenantId}/second"));
        var second = plan.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("key").GetString() == $"{tenantId}/second");
        Assert.False(second.GetProperty("feasible").GetBoolean());
        Assert.NotEmpty(second.GetProperty("shortfall").EnumerateArray());
        Assert.Equal(0, plan.GetProperty("moves").GetInt32());
    }

    [Fact]
    public async Task Bad_bodies_name_their_fields_an_unknown_tenant_is_404_and_viewers_and_agents_cannot_plan()
    {
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        await ApiAssert.InvalidFieldAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(MaxMoves: -1)), "maxMoves");
        await ApiAssert.InvalidFieldAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(TimeLimitSeconds: 3600)), "timeLimitSeconds");
        await ApiAssert.InvalidFieldAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody("Not A Tenant!")), "tenantId");
        await ApiAssert.ProblemAsync(await scheduler.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody("no-such-tenant", DryRun: true)), HttpStatusCode.NotFound);

        var tenantId = await TenantWithContendedModelsAsync();
        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: tenantId);
        await ApiAssert.ProblemAsync(await viewer.PostAsJsonAsync(ApiRoutes.Placement, new FleetPlacementBody(tenantId, DryRun: true)), HttpStatusCode.Forbidden);
        Assert.Equal(["cheap"], await PlacedAsync(scheduler, tenantId, "small"));
    }
}
