using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace FactoryMesh.Server.Tests.Cluster;

/// <summary>PostgreSQL stopped for 10 s under a heartbeating fleet: clear 503s, nothing acknowledged that was not stored, recovery without a restart.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class DatabaseOutageTests(SiloCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Writes_during_the_outage_fail_with_503_and_are_never_stored_and_the_silos_recover_by_themselves()
    {
        await cluster.EnsureAllRunningAsync();
        using var fleet = new ClusterFleet(cluster, $"dbo-{Guid.NewGuid():N}"[..12], SiloCluster.Size, 20);
        await fleet.RegisterAsync();
        var tenant = $"dbo-{Guid.NewGuid():N}"[..12];
        using (var setup = cluster.Client(0))
        {
            await ApiAssert.OkJsonAsync(await setup.PutAsJsonAsync($"/api/v1/tenants/{tenant}", new { allowedZones = new[] { "EU" } }));
        }

        var processes = Enumerable.Range(0, SiloCluster.Size).Select(i => cluster.Silo(i)).ToList();
        await cluster.Database.SuspendAsync();
        var down = Stopwatch.StartNew();
        var refusals = new List<(int Silo, HttpStatusCode Status, string? RetryAfter, string Body)>();
        try
        {
            // Through every silo: a new resource and a change to an existing one (whose grain is active and holds it in memory).
            for (var i = 0; i < SiloCluster.Size; i++)
            {
                using var client = cluster.Client(i);
                foreach (var response in new[]
                {
                    await client.PutAsJsonAsync($"/api/v1/sites/{fleet.Sites[0]}-new{i}", Fleet.Frankfurt),
                    await client.PutAsJsonAsync($"/api/v1/tenants/{tenant}", new { allowedZones = new[] { "EU", "US" } }),
                })
                {
                    using (response)
                    {
                        refusals.Add((i, response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync()));
                    }
                }
            }
        }
        finally
        {
            var rest = Outage - down.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            await cluster.Database.ResumeAsync();
        }

        Assert.All(refusals, r =>
        {
            Assert.True(r.Status == HttpStatusCode.ServiceUnavailable, $"silo {r.Silo}: {r.Status} {r.Body}\n{cluster.Output}");
            Assert.Equal("5", r.RetryAfter);
            var problem = JsonDocument.Parse(r.Body).RootElement;
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Contains("nothing of this request was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });

        // The silos recover by themselves: writes succeed again, heartbeats are accepted, no process restarted.
        var recovery = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () =>
        {
            using var client = cluster.Client(1);
            using var response = await client.PutAsJsonAsync($"/api/v1/sites/{fleet.Sites[0]}-after", Fleet.Frankfurt);
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), "a write to succeed after the database came back");
        var writesBack = recovery.Elapsed;
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var site in fleet.Sites)
            {
                using var response = await fleet.SendAsync(c => c.PostAsJsonAsync($"/api/v1/sites/{site}/heartbeats",
                    fleet.Nodes.Where(n => n.StartsWith(site + "/", StringComparison.Ordinal)).Select(n => Fleet.Heartbeat(n, 1)).ToArray()));
                if (!response.IsSuccessStatusCode || (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Any(v => !v.GetProperty("accepted").GetBoolean()))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(60), "every node's heartbeat to be accepted again");
        Assert.All(processes, p => Assert.Same(p, cluster.Silo(processes.IndexOf(p))));

        // Nothing refused was stored, not even by the grain that had taken the change into memory before its write failed.
        using (var check = cluster.Client(2))
        {
            for (var i = 0; i < SiloCluster.Size; i++)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await check.GetAsync($"/api/v1/sites/{fleet.Sites[0]}-new{i}")).StatusCode);
            }

            var stored = await ApiAssert.OkJsonAsync(await check.GetAsync($"/api/v1/tenants/{tenant}"));
            Assert.Equal(["EU"], stored.GetProperty("policy").GetProperty("allowedZones").EnumerateArray().Select(z => z.GetString()));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"database outage: {Outage.TotalSeconds:0} s; {refusals.Count} writes through {SiloCluster.Size} silos answered 503 with Retry-After 5, none stored; " +
            $"first write succeeded {writesBack.TotalSeconds:0.0} s after the database came back; no silo restarted"));
    }
}
