using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.ServerHost;

namespace FactoryMesh.Server.Tests;

/// <summary>The embedded default as a user runs it: its own process, its SQLite file, stopped and started again.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_site_and_100_nodes_with_their_heartbeats_survive_a_server_restart()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"factorymesh-restart-{Guid.NewGuid():N}");
        const string SiteId = "eu-fra-1";
        try
        {
            await using (var first = await ServerProcess.StartAsync(dataDirectory))
            {
                using var op = first.Client(first.OperatorToken);
                (await op.PutAsJsonAsync($"/api/v1/sites/{SiteId}", Fleet.Frankfurt)).EnsureSuccessStatusCode();
                var registrations = Enumerable.Range(1, 100).Select(i => Fleet.RegisterNodeAsync(op, SiteId, $"node-{i:000}"));
                var epochs = await Task.WhenAll(registrations);
                var batch = epochs.Select((epoch, i) => Fleet.Heartbeat($"{SiteId}/node-{i + 1:000}", epoch, (i + 1) / 100.0)).ToArray();
                var results = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"/api/v1/sites/{SiteId}/heartbeats", batch));
                Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("accepted").GetBoolean()));
                await first.StopAsync();
            }

            Assert.True(File.Exists(Path.Combine(dataDirectory, "factorymesh.db")));
            await using var second = await ServerProcess.StartAsync(dataDirectory);
            using var client = second.Client(second.OperatorToken);
            var nodes = await ApiAssert.OkJsonAsync(await client.GetAsync($"/api/v1/sites/{SiteId}/nodes"));

            Assert.Equal(100, nodes.GetArrayLength());
            foreach (var (node, i) in nodes.EnumerateArray().Select((n, i) => (n, i)))
            {
                Assert.Equal($"{SiteId}/node-{i + 1:000}", node.GetProperty("nodeId").GetString());
                Assert.Equal(1, node.GetProperty("epoch").GetInt64());
                Assert.Equal("H100", node.GetProperty("inventory").GetProperty("gpuModel").GetString());
                Assert.Equal((i + 1) / 100.0, node.GetProperty("utilization").GetProperty("gpuUtilization").GetDouble());
                Assert.NotEqual(JsonValueKind.Null, node.GetProperty("lastHeartbeatAt").ValueKind);
            }

            var site = await ApiAssert.OkJsonAsync(await client.GetAsync($"/api/v1/sites/{SiteId}"));
            Assert.Equal(100, site.GetProperty("nodes").GetInt32());
            await second.StopAsync();
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
