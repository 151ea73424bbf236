using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using FactoryMesh.Contracts.Http;
using FactoryMesh.SimulatedTee;
using FactoryMesh.ServerHost;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using FactoryMesh.Contracts.Hub;

namespace FactoryMesh.Bench;

/// <summary>
/// Live-update latency and throughput against the real server process on loopback:
/// grain-to-client latency of trust events with 1, 100 and 1,000 connected dashboards (median, p99), against a
/// baseline of a bare hub round trip measured in the same run; and the utilization events per second one silo
/// takes from heartbeats while a dashboard watches.
/// </summary>
public static class LiveReport
{
    /// <summary>The command that runs it: <c>dotnet run -c Release --project tools/FactoryMesh.Bench -- live-report</c>.</summary>
    public const string Command = "live-report";

    private const string SiteId = "bench-1";
    private const string NodeId = "bench-1/node-1";
    private static readonly int[] ClientCounts = [1, 100, 1000];

    /// <summary>Runs the report; <c>--quick</c> uses fewer events and clients.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var events = quick ? 40 : 200;
        await using var host = await SimulatedTeeServer.StartAsync("live-bench", "--Logging:LogLevel:Default=Warning");
        var server = host.Server;
        using var api = new HttpClient { BaseAddress = server.Address };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.OperatorToken);
        (await api.PutAsJsonAsync($"{ApiRoutes.Root}/sites/{SiteId}", new { jurisdiction = "DE", zones = new[] { "EU" }, electricityUsdPerKwh = 0.2, pue = 1.2, carbonGramsPerKwh = 380 })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"{ApiRoutes.Root}/sites/{SiteId}/nodes/node-1", Node())).EnsureSuccessStatusCode();
        using var device = host.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(1));

        Console.WriteLine(Machine());
        var hubUrl = new Uri(server.Address, FleetHubMethods.Path);
        var baseline = await HubRoundTripAsync(hubUrl, server.OperatorToken, events);
        Console.WriteLine($"baseline: hub round trip (invoke and answer, 1 client): median {baseline.Median:F2} ms, p99 {baseline.P99:F2} ms");
        foreach (var clients in quick ? ClientCounts.Take(2) : ClientCounts)
        {
            var latency = await TrustEventLatencyAsync(hubUrl, server.OperatorToken, api, device, clients, events);
            Console.WriteLine(
                $"trustChanged grain -> client, {clients,4} clients: median {latency.Median:F2} ms ({latency.Median / baseline.Median:F1}x baseline), " +
                $"p99 {latency.P99:F2} ms ({latency.P99 / baseline.P99:F1}x), {latency.Count} deliveries");
        }

        var (published, delivered) = await UtilizationThroughputAsync(hubUrl, server.OperatorToken, api, quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(15));
        Console.WriteLine($"utilization: {published:F0} events/s published by one silo from heartbeats (1,000 nodes, batches of 1,000); {delivered:F0} node samples/s delivered to a site dashboard after coalescing");
        return 0;
    }

    private static object Node() => new { gpuModel = "H100", gpuCount = 8, gpuMemoryGiB = 80, teeKind = "SIM", powerWatts = 10_200, costUsdPerHour = 24 };

    private static async Task<HubConnection> ConnectAsync(Uri hubUrl, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static async Task<Percentiles> HubRoundTripAsync(Uri hubUrl, string token, int count)
    {
        await using var connection = await ConnectAsync(hubUrl, token);
        var samples = new List<double>();
        for (var i = 0; i < count + 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await connection.InvokeAsync(FleetHubMethods.SubscribeSite, SiteId);
            if (i >= 20)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return new Percentiles(samples);
    }

    // Alternates revoke (-> Untrusted) and attest (-> Trusted): each is one trust change published by the node grain.
    private static async Task<Percentiles> TrustEventLatencyAsync(Uri hubUrl, string token, HttpClient api, SimulatedTeeDevice device, int clients, int events)
    {
        var latencies = new ConcurrentBag<double>();
        var received = 0;
        var connections = new List<HubConnection>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                var connection = await ConnectAsync(hubUrl, token);
                connection.On<JsonElement>("trustChanged", e =>
                {
                    var at = e.GetProperty("at").GetDateTimeOffset();
                    latencies.Add((DateTimeOffset.UtcNow - at).TotalMilliseconds);
                    Interlocked.Increment(ref received);
                });
                await connection.InvokeAsync(FleetHubMethods.SubscribeNode, NodeId);
                connections.Add(connection);
            }

            for (var i = 0; i < events; i++)
            {
                if (i % 2 == 0)
                {
                    var nonce = (await (await api.PostAsync($"{ApiRoutes.Root}/nodes/{Uri.EscapeDataString(NodeId)}/attestation/challenge", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nonce").GetString()!;
                    var evidence = SimulatedTeeServer.Evidence(device, NodeId, nonce);
                    (await api.PostAsJsonAsync($"{ApiRoutes.Root}/nodes/{Uri.EscapeDataString(NodeId)}/attestation", new { format = "sim-jws", evidence })).EnsureSuccessStatusCode();
                }
                else
                {
                    (await api.PostAsJsonAsync($"{ApiRoutes.Root}/nodes/{Uri.EscapeDataString(NodeId)}/revoke", new { reason = "benchmark" })).EnsureSuccessStatusCode();
                }

                await Task.Delay(20); // ~50 changes a second: a busy fleet, not a flood
            }

            var deadline = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref received) < clients * events && Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }

        return new Percentiles(latencies);
    }

    private static async Task<(double Published, double Delivered)> UtilizationThroughputAsync(Uri hubUrl, string token, HttpClient api, TimeSpan duration)
    {
        var epochs = new long[1000];
        for (var i = 0; i < epochs.Length; i++)
        {
            var node = await (await api.PutAsJsonAsync($"{ApiRoutes.Root}/sites/{SiteId}/nodes/u-{i:0000}", Node())).Content.ReadFromJsonAsync<JsonElement>();
            epochs[i] = node.GetProperty("epoch").GetInt64();
        }

        var delivered = 0L;
        await using var dashboard = await ConnectAsync(hubUrl, token);
        dashboard.On<JsonElement>("utilization", batch => Interlocked.Add(ref delivered, batch.GetArrayLength()));
        await dashboard.InvokeAsync(FleetHubMethods.SubscribeSite, SiteId);
        var batch = epochs.Select((epoch, i) => new { nodeId = $"{SiteId}/u-{i:0000}", epoch, gpuUtilization = 0.5, gpuMemoryUsedGiB = 100, powerWatts = 8_000, tokensPerSecond = 2_400 }).ToArray();
        var accepted = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var results = await (await api.PostAsJsonAsync($"{ApiRoutes.Root}/sites/{SiteId}/heartbeats", batch)).Content.ReadFromJsonAsync<JsonElement>();
                Interlocked.Add(ref accepted, results.EnumerateArray().Count(r => r.GetProperty("accepted").GetBoolean()));
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(1500); // the last coalesced batch
        return (accepted / seconds, Interlocked.Read(ref delivered) / seconds);
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"machine: {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; server and clients on one machine, loopback";
    }
}
