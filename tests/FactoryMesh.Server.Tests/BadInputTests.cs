using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FactoryMesh.Server.Tests;

/// <summary>Every bad input gets a problem naming the field, and leaves what was stored as it was.</summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    private static async Task<JsonElement> NodeAsync(HttpClient client, string nodeId) =>
        await ApiAssert.OkJsonAsync(await client.GetAsync(Fleet.NodeUrl(nodeId)));

    [Fact]
    public async Task A_node_of_an_unknown_site_is_refused_with_404_and_not_created()
    {
        using var op = Server.Operator();
        var siteId = Fleet.UniqueSiteId();

        var problem = await ApiAssert.ProblemAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", Fleet.H100Node), HttpStatusCode.NotFound);

        Assert.Contains(siteId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ApiAssert.ProblemAsync(await op.GetAsync($"/api/v1/sites/{siteId}"), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await op.GetAsync(Fleet.NodeUrl($"{siteId}/node-1")), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Node_1")]
    [InlineData("-node")]
    [InlineData("other-site%2Fnode-1")]
    public async Task A_malformed_or_foreign_node_id_is_refused_and_nothing_registered(string nodeId)
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);

        await ApiAssert.InvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/{nodeId}", Fleet.H100Node), "nodeId");

        var nodes = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/sites/{siteId}/nodes"));
        Assert.Equal(0, nodes.GetArrayLength());
    }

    [Fact]
    public async Task Every_malformed_id_in_a_route_is_named_in_one_problem_before_the_body_is_read()
    {
        using var op = Server.Operator();

        var problem = await ApiAssert.InvalidFieldAsync(await op.PutAsJsonAsync("/api/v1/tenants/Bad_Tenant/models/-model", new { }), "tenantId");

        Assert.True(problem.GetProperty("errors").TryGetProperty("modelId", out _), problem.ToString());
        Assert.False(problem.GetProperty("errors").TryGetProperty("gpuMemoryGiB", out _), "the body is not judged for a route that names nothing");
    }

    [Fact]
    public async Task A_malformed_node_id_in_a_node_url_is_refused()
    {
        using var op = Server.Operator();
        await ApiAssert.InvalidFieldAsync(await op.GetAsync("/api/v1/nodes/no-slash-here"), "nodeId");
    }

    [Fact]
    public async Task Negative_counts_are_refused_and_the_registered_node_keeps_its_inventory_and_epoch()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        await Fleet.RegisterNodeAsync(op, siteId, "node-1");

        var bad = new { gpuModel = "H100", gpuCount = -8, gpuMemoryGiB = -80, teeKind = "TDX", powerWatts = 10_200, costUsdPerHour = -1 };
        var problem = await ApiAssert.InvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", bad), "gpuCount");

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("gpuMemoryGiB", out _));
        Assert.True(errors.TryGetProperty("costUsdPerHour", out _));
        var node = await NodeAsync(op, $"{siteId}/node-1");
        Assert.Equal(8, node.GetProperty("inventory").GetProperty("gpuCount").GetInt32());
        Assert.Equal(1, node.GetProperty("epoch").GetInt64());
    }

    [Fact]
    public async Task Missing_fields_are_each_named()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);

        var problem = await ApiAssert.InvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", new { gpuModel = "H100" }), "gpuCount");

        foreach (var field in new[] { "gpuMemoryGiB", "teeKind", "powerWatts", "costUsdPerHour" })
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Utilization_outside_zero_to_one_refuses_the_whole_batch_and_applies_none_of_it()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var epoch1 = await Fleet.RegisterNodeAsync(op, siteId, "node-1");
        var epoch2 = await Fleet.RegisterNodeAsync(op, siteId, "node-2");

        var batch = new[] { Fleet.Heartbeat($"{siteId}/node-1", epoch1, 0.5), Fleet.Heartbeat($"{siteId}/node-2", epoch2, 1.5) };
        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", batch), "items[1].gpuUtilization");

        var node1 = await NodeAsync(op, $"{siteId}/node-1");
        Assert.Equal(JsonValueKind.Null, node1.GetProperty("utilization").ValueKind);
        Assert.Equal(JsonValueKind.Null, node1.GetProperty("lastHeartbeatAt").ValueKind);
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_refused_and_applies_nothing()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var epoch = await Fleet.RegisterNodeAsync(op, siteId, "node-1");

        var batch = Enumerable.Range(0, 1001).Select(i => i == 0 ? Fleet.Heartbeat($"{siteId}/node-1", epoch) : Fleet.Heartbeat($"{siteId}/n-{i}", 1)).ToArray();
        var problem = await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", batch), "items");

        Assert.Contains("1000", problem.GetProperty("errors").GetProperty("items")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await NodeAsync(op, $"{siteId}/node-1")).GetProperty("utilization").ValueKind);
    }

    [Fact]
    public async Task A_heartbeat_for_a_node_of_another_site_is_refused()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);

        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", new[] { Fleet.Heartbeat("elsewhere/node-1", 1) }), "items[0].nodeId");
    }

    [Fact]
    public async Task A_body_of_the_wrong_json_type_names_the_field()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        using var body = new StringContent("""[{"nodeId":"x/y","epoch":"one"}]""", Encoding.UTF8, "application/json");

        await ApiAssert.InvalidFieldAsync(await op.PostAsync($"/api/v1/sites/{siteId}/heartbeats", body), "items[0].epoch");
    }

    [Fact]
    public async Task Invalid_site_values_are_refused_and_the_stored_site_is_unchanged()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);

        var bad = new { jurisdiction = "Germany", zones = new[] { "eu" }, electricityUsdPerKwh = -0.1, pue = 0.8, carbonGramsPerKwh = 380 };
        var problem = await ApiAssert.InvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}", bad), "jurisdiction");

        Assert.True(problem.GetProperty("errors").TryGetProperty("pue", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("zones[0]", out _));
        var site = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/sites/{siteId}"));
        Assert.Equal("DE", site.GetProperty("profile").GetProperty("jurisdiction").GetString());
        Assert.Equal(1.2, site.GetProperty("profile").GetProperty("pue").GetDouble());
    }

    [Fact]
    public async Task A_stale_epoch_is_refused_per_heartbeat_and_as_409_on_registration()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var oldEpoch = await Fleet.RegisterNodeAsync(op, siteId, "node-1");
        var newEpoch = await Fleet.RegisterNodeAsync(op, siteId, "node-1");

        var results = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats",
            new[] { Fleet.Heartbeat($"{siteId}/node-1", oldEpoch), Fleet.Heartbeat($"{siteId}/node-2", 1) }));
        Assert.False(results[0].GetProperty("accepted").GetBoolean());
        Assert.Equal("stale epoch", results[0].GetProperty("reason").GetString());
        Assert.Equal("unknown node", results[1].GetProperty("reason").GetString());

        var stale = new { gpuModel = "B200", gpuCount = 8, gpuMemoryGiB = 192, teeKind = "TDX", powerWatts = 14_300, costUsdPerHour = 40, epoch = oldEpoch };
        await ApiAssert.ProblemAsync(await op.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", stale), HttpStatusCode.Conflict);
        var node = await NodeAsync(op, $"{siteId}/node-1");
        Assert.Equal(newEpoch, node.GetProperty("epoch").GetInt64());
        Assert.Equal("H100", node.GetProperty("inventory").GetProperty("gpuModel").GetString());
    }
}
