using System.Net.Http.Json;
using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl top</c>: the fleet table with what the nodes reported, frame after frame.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class TopCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task Top_shows_each_sites_trust_counts_and_the_load_its_nodes_reported()
    {
        var siteId = FleetServerFixture.UniqueName("top");
        var registered = await fleet.CreateSiteWithNodesAsync(siteId, nodes: 1); // never attested: neither trusted, stale nor untrusted
        var trusted = await fleet.AddTrustedNodeAsync(siteId, "node-900");
        using (var op = fleet.Server.Client(fleet.Server.OperatorToken))
        {
            var epochs = new Dictionary<string, long>();
            foreach (var nodeId in registered.Append(trusted))
            {
                var node = await op.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/nodes/{Uri.EscapeDataString(nodeId)}", UriKind.Relative));
                epochs[nodeId] = node.GetProperty("epoch").GetInt64();
            }

            // 2 x 3,000 W and 2 x 1,500 tokens/s at 50 % utilization.
            var heartbeats = epochs.Select(e => new { nodeId = e.Key, epoch = e.Value, gpuUtilization = 0.5, gpuMemoryUsedGiB = 300, powerWatts = 3_000, tokensPerSecond = 1_500 }).ToArray();
            (await op.PostAsJsonAsync(new Uri($"/api/v1/sites/{siteId}/heartbeats", UriKind.Relative), heartbeats)).EnsureSuccessStatusCode();
        }

        var result = (await fleet.RunAsync("top", "--iterations", "2", "--interval", "0.5")).AssertSucceeded();

        var rows = result.StandardOutput.Split('\n').Where(line => line.StartsWith(siteId, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count); // one per frame
        Assert.Equal([siteId, "2", "2", "1", "0", "0", "50", "%", "6.0", "3,000"], rows[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, result.StandardOutput.Split('\n').Count(line => line.Contains(" sites  ", StringComparison.Ordinal) && line.Contains(" tokens/s", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Top_as_json_prints_the_sites_once_and_a_bad_interval_is_a_usage_error()
    {
        var json = (await fleet.RunAsync("top", "-o", "json")).AssertSucceeded();
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(json.StandardOutput).RootElement.ValueKind);

        var line = (await fleet.RunAsync("top", "--interval", "0.1")).AssertFailedWithOneLine(2);
        Assert.Contains("--interval", line, StringComparison.Ordinal);
    }
}
