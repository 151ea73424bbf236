using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl nodes list | get | revoke</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class NodesCommandTests(FleetServerFixture fleet)
{
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
}
