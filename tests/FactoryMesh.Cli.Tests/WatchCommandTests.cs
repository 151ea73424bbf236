using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl watch site | node | tenant | model</c> on the real fleet hub.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class WatchCommandTests(FleetServerFixture fleet)
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watch_site_prints_a_json_line_when_a_node_is_revoked_and_stops_cleanly_on_ctrl_c()
    {
        var siteId = FleetServerFixture.UniqueName("site");
        var nodeId = (await fleet.CreateSiteWithNodesAsync(siteId, nodes: 1))[0];
        using var watch = fleet.Start("watch", "site", siteId, "--output", "json", "--duration", "15");
        await watch.NextLineAsync(line => line.Contains("\"subscribed\"", StringComparison.Ordinal), LineTimeout);

        (await fleet.RunAsync("nodes", "revoke", nodeId, "--reason", "watch drill")).AssertSucceeded();
        var line = await watch.NextLineAsync(line => line.Contains("\"trustChanged\"", StringComparison.Ordinal), LineTimeout);
        await watch.InterruptAsync();
        var result = await watch.WaitForExitAsync(ExitTimeout);

        var trustChanged = JsonDocument.Parse(line).RootElement;
        Assert.Equal("trustChanged", trustChanged.GetProperty("event").GetString());
        var data = trustChanged.GetProperty("data");
        Assert.Equal(nodeId, data.GetProperty("nodeId").GetString());
        Assert.Equal(siteId, data.GetProperty("siteId").GetString());
        Assert.Equal("Unknown", data.GetProperty("previousState").GetString());
        Assert.Equal("Untrusted", data.GetProperty("state").GetString());
        Assert.Equal("revoked: watch drill", data.GetProperty("reason").GetString());
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StandardError);
    }

    [Fact]
    public async Task Watch_node_follows_that_node_only()
    {
        var nodeIds = await fleet.CreateSiteWithNodesAsync(FleetServerFixture.UniqueName("site"), nodes: 2);
        using var watch = fleet.Start("watch", "node", nodeIds[1], "-o", "json", "--duration", "15");
        await watch.NextLineAsync(line => line.Contains("\"subscribed\"", StringComparison.Ordinal), LineTimeout);

        (await fleet.RunAsync("nodes", "revoke", nodeIds[0], "--reason", "not watched")).AssertSucceeded();
        (await fleet.RunAsync("nodes", "revoke", nodeIds[1], "--reason", "watched")).AssertSucceeded();
        var line = await watch.NextLineAsync(line => line.Contains("\"trustChanged\"", StringComparison.Ordinal), LineTimeout);
        await watch.InterruptAsync();
        (await watch.WaitForExitAsync(ExitTimeout)).AssertSucceeded();

        Assert.Equal(nodeIds[1], JsonDocument.Parse(line).RootElement.GetProperty("data").GetProperty("nodeId").GetString());
    }

    [Fact]
    public async Task Watch_in_table_mode_into_a_pipe_prints_one_readable_line_per_trust_change()
    {
        var siteId = FleetServerFixture.UniqueName("site");
        var nodeId = (await fleet.CreateSiteWithNodesAsync(siteId, nodes: 1))[0];
        using var watch = fleet.Start("watch", "site", siteId, "--duration", "15");
        await watch.NextLineAsync(line => line == $"watching site '{siteId}'", LineTimeout);

        (await fleet.RunAsync("nodes", "revoke", nodeId, "--reason", "pipe drill")).AssertSucceeded();
        var line = await watch.NextLineAsync(line => line.Contains(nodeId, StringComparison.Ordinal), LineTimeout);
        await watch.InterruptAsync();
        (await watch.WaitForExitAsync(ExitTimeout)).AssertSucceeded();

        Assert.EndsWith($"{nodeId} trust Unknown -> Untrusted: revoked: pipe drill", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_model_with_its_tenants_viewer_token_subscribes_and_ends_after_its_duration()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        var viewer = (await fleet.RunAsync("tokens", "issue", "--role", "viewer", "--tenant", tenantId)).AssertSucceeded().StandardOutput.Trim();

        var result = (await fleet.RunWithTokenAsync(viewer, "watch", "model", tenantId, "llama-70b", "-o", "json", "--duration", "1")).AssertSucceeded();

        var subscribed = JsonDocument.Parse(result.StandardOutput.Split('\n')[0]).RootElement;
        Assert.Equal("subscribed", subscribed.GetProperty("event").GetString());
        Assert.Equal("model", subscribed.GetProperty("data").GetProperty("target").GetString());
        Assert.Equal($"{tenantId}/llama-70b", subscribed.GetProperty("data").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Watch_of_a_tenant_the_token_may_not_see_is_refused_in_one_line()
    {
        var viewer = (await fleet.RunAsync("tokens", "issue", "--role", "viewer", "--tenant", "acme")).AssertSucceeded().StandardOutput.Trim();

        var result = await fleet.RunWithTokenAsync(viewer, "watch", "tenant", "globex", "-o", "json", "--duration", "15");

        Assert.Equal("fmctl: cannot watch tenant 'globex': Not allowed to watch tenant 'globex'.", result.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Watch_with_a_token_the_hub_refuses_or_a_duration_below_one_second_fails_in_one_line()
    {
        var refused = await fleet.RunWithTokenAsync("not-a-token", "watch", "site", "eu-fra-1", "--duration", "15");
        var zero = await fleet.RunAsync("watch", "site", "eu-fra-1", "--duration", "0");

        Assert.StartsWith("fmctl: 401 Unauthorized: the server did not accept the token", refused.AssertFailedWithOneLine(1), StringComparison.Ordinal);
        Assert.Equal("fmctl: --duration: must be at least 1 second. (see: fmctl watch site --help)", zero.AssertFailedWithOneLine(2));
    }
}
