using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl nodes list | get | register | revoke</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class NodesCommandTests(FleetServerFixture fleet)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task List_shows_a_sites_nodes_with_their_inventory_and_trust()
    {
        var siteId = FleetServerFixture.UniqueName("site");
        var nodeIds = await fleet.CreateSiteWithNodesAsync(siteId, nodes: 2);

        var table = (await fleet.RunAsync("nodes", "list", siteId)).AssertSucceeded();
        var json = (await fleet.RunAsync("nodes", "list", siteId, "-o", "json")).AssertSucceeded();

        foreach (var nodeId in nodeIds)
        {
            Assert.Contains(table.StandardOutput.Split('\n'), line => line.StartsWith(nodeId, StringComparison.Ordinal) && line.Contains("8x H100 80 GiB", StringComparison.Ordinal) && line.Contains("Unknown", StringComparison.Ordinal));
        }

        Assert.Equal(nodeIds, JsonDocument.Parse(json.StandardOutput).RootElement.EnumerateArray().Select(n => n.GetProperty("nodeId").GetString()));
    }

    [Fact]
    public async Task Get_addresses_a_node_id_with_its_slash_as_one_path_segment()
    {
        var nodeId = (await fleet.CreateSiteWithNodesAsync(FleetServerFixture.UniqueName("site"), nodes: 1))[0];

        var get = (await fleet.RunAsync("nodes", "get", nodeId, "--output", "json")).AssertSucceeded();

        var node = JsonDocument.Parse(get.StandardOutput).RootElement;
        Assert.Equal(nodeId, node.GetProperty("nodeId").GetString());
        Assert.Equal("Unknown", node.GetProperty("trust").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Revoke_makes_the_node_untrusted_with_the_reason()
    {
        var nodeId = (await fleet.CreateSiteWithNodesAsync(FleetServerFixture.UniqueName("site"), nodes: 1))[0];

        var revoke = (await fleet.RunAsync("nodes", "revoke", nodeId, "--reason", "suspected tampering", "-o", "json")).AssertSucceeded();
        var get = (await fleet.RunAsync("nodes", "get", nodeId)).AssertSucceeded();

        Assert.Equal("Untrusted", JsonDocument.Parse(revoke.StandardOutput).RootElement.GetProperty("state").GetString());
        Assert.Contains(get.StandardOutput.Split('\n'), line => line.StartsWith("trust.state", StringComparison.Ordinal) && line.Contains("Untrusted", StringComparison.Ordinal));
        Assert.Contains("revoked: suspected tampering", get.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_and_revoke_of_an_unknown_node_say_404_in_one_line()
    {
        var siteId = FleetServerFixture.UniqueName("site");

        var get = await fleet.RunAsync("nodes", "get", $"{siteId}/node-404");
        var revoke = await fleet.RunAsync("nodes", "revoke", $"{siteId}/node-404", "--reason", "drill");

        Assert.Equal($"fmctl: 404 Not found: Node '{siteId}/node-404' does not exist.", get.AssertFailedWithOneLine(1));
        Assert.Equal($"fmctl: 404 Not found: Node '{siteId}/node-404' does not exist.", revoke.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task List_of_an_unknown_site_and_a_malformed_node_id_are_refused_by_the_server()
    {
        var list = await fleet.RunAsync("nodes", "list", "no-such-site");
        var get = await fleet.RunAsync("nodes", "get", "not-a-node-id");

        Assert.Equal("fmctl: 404 Not found: Site 'no-such-site' does not exist.", list.AssertFailedWithOneLine(1));
        Assert.StartsWith("fmctl: 400 The request is not valid: nodeId: Must be a URL-encoded node id", get.AssertFailedWithOneLine(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_without_a_reason_is_a_usage_error()
    {
        var result = await fleet.RunAsync("nodes", "revoke", "eu-fra-1/node-001");

        Assert.Equal("fmctl: Option '--reason' is required. (see: fmctl nodes revoke --help)", result.AssertFailedWithOneLine(2));
    }

    [Fact]
    public async Task Register_takes_an_inventory_file_of_more_than_one_batch_and_lists_every_node_with_its_epoch()
    {
        var siteId = FleetServerFixture.UniqueName("site");
        await fleet.CreateSiteWithNodesAsync(siteId, nodes: 0);
        var file = InventoryFile(Enumerable.Range(1, 1001).Select(i => Node($"rack-{i:0000}")));

        var registered = (await fleet.RunAsync("nodes", "register", siteId, file, "-o", "json")).AssertSucceeded();
        var listed = (await fleet.RunAsync("nodes", "list", siteId, "-o", "json")).AssertSucceeded();

        var results = JsonDocument.Parse(registered.StandardOutput).RootElement.EnumerateArray().ToArray();
        Assert.Equal(1001, results.Length);
        Assert.All(results, r => Assert.True(r.GetProperty("registered").GetBoolean()));
        Assert.Equal($"{siteId}/rack-1001", results[^1].GetProperty("nodeId").GetString());
        var nodes = JsonDocument.Parse(listed.StandardOutput).RootElement.EnumerateArray().ToArray();
        Assert.Equal(1001, nodes.Length);
        Assert.All(nodes, n => Assert.Equal(1, n.GetProperty("epoch").GetInt64()));
    }

    [Fact]
    public async Task Register_shows_a_table_of_what_it_did()
    {
        var siteId = FleetServerFixture.UniqueName("site");
        await fleet.CreateSiteWithNodesAsync(siteId, nodes: 0);

        var table = (await fleet.RunAsync("nodes", "register", siteId, InventoryFile([Node("rack-1")]))).AssertSucceeded();

        Assert.Contains("REGISTERED", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(table.StandardOutput.Split('\n'), line => line.Contains("rack-1", StringComparison.Ordinal) && line.Contains("yes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_with_one_bad_node_says_which_in_one_line_and_registers_none_of_its_batch()
    {
        var siteId = FleetServerFixture.UniqueName("site");
        await fleet.CreateSiteWithNodesAsync(siteId, nodes: 0);
        var file = InventoryFile([Node("good-1"), Node("bad-1") with { GpuCount = 0 }]);
        var notJson = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(notJson, "[{");

        var refused = await fleet.RunAsync("nodes", "register", siteId, file);
        var unreadable = await fleet.RunAsync("nodes", "register", siteId, notJson);
        var listed = (await fleet.RunAsync("nodes", "list", siteId, "-o", "json")).AssertSucceeded();

        Assert.Contains("items[1].gpuCount", refused.AssertFailedWithOneLine(1), StringComparison.Ordinal);
        Assert.StartsWith($"fmctl: {notJson} is not JSON", unreadable.AssertFailedWithOneLine(2), StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(listed.StandardOutput).RootElement.GetArrayLength());
    }

    private static InventoryItem Node(string nodeId) => new(nodeId, "H100", 8, 80, "TDX", 5600, 24);

    private static string InventoryFile(IEnumerable<InventoryItem> items)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fmctl-inventory-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(items, Web));
        return path;
    }

    private sealed record InventoryItem(string NodeId, string GpuModel, int GpuCount, double GpuMemoryGiB, string TeeKind, double PowerWatts, double CostUsdPerHour);
}
