using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.Contracts.Http;
using FactoryMesh.SimulatedTee;

namespace FactoryMesh.Server.Tests.Cluster;

/// <summary>
/// The fleet the cluster tests drive: sites whose nodes register, attest and heartbeat through every silo in turn, the
/// way agents behind a load balancer would. A call that finds its silo gone (refused connection, 503) is retried on the
/// next silo; what still fails after a round of every silo is counted as a failed call.
/// </summary>
public sealed class ClusterFleet : IDisposable
{
    private readonly SiloCluster _cluster;
    private readonly Dictionary<int, HttpClient> _clients = [];
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SimulatedTeeDevice> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _next;
    private long _failedCalls;
    private long _retriedCalls;

    /// <summary>A fleet of <paramref name="sites"/> sites with <paramref name="nodesPerSite"/> nodes each, ids prefixed by <paramref name="prefix"/>.</summary>
    public ClusterFleet(SiloCluster cluster, string prefix, int sites, int nodesPerSite)
    {
        _cluster = cluster;
        Sites = Enumerable.Range(0, sites).Select(s => $"{prefix}-{s}").ToArray();
        Nodes = Sites.SelectMany(site => Enumerable.Range(0, nodesPerSite).Select(n => $"{site}/node-{n:D5}")).ToArray();
    }

    /// <summary>The site ids.</summary>
    public IReadOnlyList<string> Sites { get; }

    /// <summary>Every node id.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Calls that failed on every silo, or were answered with an error other than 503.</summary>
    public long FailedCalls => Interlocked.Read(ref _failedCalls);

    /// <summary>What the failed calls failed with (a status code, or "unreachable"), counted.</summary>
    public string FailureSummary => string.Join(", ", _failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} x{f.Value}"));

    /// <summary>Calls that succeeded only on another silo than the first tried.</summary>
    public long RetriedCalls => Interlocked.Read(ref _retriedCalls);

    /// <summary>Creates the sites and registers every node in batches.</summary>
    public async Task RegisterAsync()
    {
        foreach (var site in Sites)
        {
            (await SendAsync(c => c.PutAsJsonAsync($"/api/v1/sites/{site}", Fleet.Frankfurt))).EnsureSuccessStatusCode();
            foreach (var batch in Nodes.Where(n => n.StartsWith(site + "/", StringComparison.Ordinal)).Chunk(1000))
            {
                var items = batch.Select(n => new NodeRegistrationItem(n.Split('/')[1], "H100", 8, 80, "SIM", 10_200, 24)).ToArray();
                using var response = await SendAsync(c => c.PostAsJsonAsync($"/api/v1/sites/{site}/nodes", items));
                var results = await ApiAssert.OkJsonAsync(response);
                foreach (var result in results.EnumerateArray())
                {
                    Assert.True(result.GetProperty("registered").GetBoolean(), result.ToString());
                    _epochs[result.GetProperty("nodeId").GetString()!] = result.GetProperty("epoch").GetInt64();
                }
            }
        }
    }

    /// <summary>Attests every node with its own simulated device, <paramref name="parallelism"/> at a time.</summary>
    public Task AttestAsync(int parallelism = 8) =>
        Parallel.ForEachAsync(Nodes, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (nodeId, _) =>
        {
            var device = _devices.GetOrAdd(nodeId, id => _cluster.Vendor.IssueDevice(id, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6)));
            using var response = await SendAsync(c => SimulatedFleet.AttestAsync(c, device, nodeId));
            await ApiAssert.OkJsonAsync(response);
        });

    /// <summary>One heartbeat for every node, in batches of up to 1,000 per site, as an agent sends them; returns the calls made.</summary>
    public async Task<int> HeartbeatRoundAsync()
    {
        var calls = 0;
        foreach (var site in Sites)
        {
            foreach (var batch in Nodes.Where(n => n.StartsWith(site + "/", StringComparison.Ordinal)).Chunk(1000))
            {
                var reports = batch.Select(n => new HeartbeatReport(n, _epochs[n], 0.6, 60, 7_000, 2_000, DateTimeOffset.UtcNow)).ToArray();
                using var response = await SendAsync(c => c.PostAsJsonAsync($"/api/v1/sites/{site}/heartbeats", reports));
                calls++;
            }
        }

        return calls;
    }

    /// <summary>Each node as the cluster answers for it now (every node grain is asked), through any silo.</summary>
    public async Task<IReadOnlyList<JsonElement>> ListNodesAsync()
    {
        var nodes = new List<JsonElement>();
        foreach (var site in Sites)
        {
            using var response = await SendAsync(c => c.GetAsync($"/api/v1/sites/{site}/nodes"));
            nodes.AddRange((await ApiAssert.OkJsonAsync(response)).EnumerateArray());
        }

        return nodes;
    }

    /// <summary>
    /// Sends through the next running silo, and on a refused connection or a 503 through the others in turn, for up to
    /// <paramref name="rounds"/> rounds with a pause between; the last answer is returned (or the failure thrown).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpClient, Task<HttpResponseMessage>> call, int rounds = 3)
    {
        var first = Interlocked.Increment(ref _next);
        Exception? failure = null;
        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt < rounds * SiloCluster.Size; attempt++)
        {
            var index = (first + attempt) % SiloCluster.Size;
            if (attempt > 0 && attempt % SiloCluster.Size == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            if (!_cluster.IsRunning(index))
            {
                continue;
            }

            try
            {
                last?.Dispose();
                last = await call(Client(index));
                if (last.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    if (attempt > 0)
                    {
                        Interlocked.Increment(ref _retriedCalls);
                    }

                    if (!last.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref _failedCalls); // an answer, but not the one a healthy cluster gives
                        _failures.AddOrUpdate(((int)last.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                    }

                    return last;
                }
            }
            catch (HttpRequestException exception)
            {
                failure = exception;
            }
        }

        Interlocked.Increment(ref _failedCalls);
        _failures.AddOrUpdate(last is null ? "unreachable" : "503", 1, (_, n) => n + 1);
        return last ?? throw new HttpRequestException("No silo answered.", failure);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        foreach (var device in _devices.Values)
        {
            device.Dispose();
        }
    }

    private HttpClient Client(int index)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(index, out var client))
            {
                client = new HttpClient { BaseAddress = _cluster.Address(index), Timeout = TimeSpan.FromSeconds(30) };
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _cluster.OperatorToken);
                _clients[index] = client;
            }

            return client;
        }
    }
}
