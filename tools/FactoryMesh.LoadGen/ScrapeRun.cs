using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace FactoryMesh.LoadGen;

/// <summary>
/// What per-node metrics cost (<c>FactoryMesh:Telemetry:NodeMetrics</c>), against the same server without them in the
/// same run: the fleet registered and every node heartbeating once, then the server left idle while its collector reads
/// the Site grains every 2 s (server CPU per snapshot; run it with a heartbeat interval long enough, say
/// <c>--interval 60 --grace 300</c>, that no node turns Suspect meanwhile), then <c>/metrics</c> scraped 20 times (latency, size). The
/// scrape is checked against the fleet, not against the server's own counts: one series of each per-node metric per
/// node registered with the per-node metrics on, none without.
/// </summary>
internal sealed class ScrapeRun(LoadGenOptions options, TextWriter progress)
{
    private const int Scrapes = 20;
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<ScrapeResult>> ExecuteAsync(int run)
    {
        var order = run % 2 == 1 ? new[] { false, true } : [true, false];
        var results = new List<ScrapeResult>();
        foreach (var nodeMetrics in order)
        {
            results.Add(await MeasureAsync(nodeMetrics));
        }

        return [.. results.OrderBy(r => r.NodeMetrics)];
    }

    private async Task<ScrapeResult> MeasureAsync(bool nodeMetrics)
    {
        var configured = options with
        {
            ServerEnvironment =
            [
                .. options.ServerEnvironment,
                KeyValuePair.Create("FactoryMesh__Telemetry__NodeMetrics", nodeMetrics ? "true" : "false"),
                KeyValuePair.Create("FactoryMesh__Telemetry__SnapshotIntervalSeconds", SnapshotInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)),
            ],
        };
        await using var server = await ServerUnderTest.StartAsync(configured);
        var sites = new List<SimulatedSite>();
        try
        {
            using var operatorClient = new OperatorClient(server.Address, server.OperatorToken);
            for (var s = 0; s < options.Sites; s++)
            {
                var siteId = $"site-{s:D2}";
                sites.Add(new SimulatedSite(server.Address, siteId, await operatorClient.CreateSiteAsync(siteId), options.NodesPerSite));
            }

            var log = new RequestLog();
            await Task.WhenAll(sites.Select(s => s.RegisterAsync(log, CancellationToken.None)));
            await Task.WhenAll(sites.Select(s => s.HeartbeatRoundAsync(log, baseline: false, CancellationToken.None)));
            await Task.Delay(2 * SnapshotInterval); // a snapshot that holds every node's sample

            var cpuBefore = server.CpuSeconds();
            await Task.Delay(IdleWindow);
            var cpuPerSnapshotMs = (server.CpuSeconds() - cpuBefore) * 1000 / (IdleWindow / SnapshotInterval);

            using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(120) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.OperatorToken);
            var latencies = new List<double>();
            var bytes = 0L;
            var series = 0;
            for (var i = 0; i < Scrapes; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                bytes = text.Length;
                series = text.Split('\n').Count(line => line.StartsWith("factorymesh_node_power_usage_watts{", StringComparison.Ordinal));
            }

            var expected = nodeMetrics ? options.TotalNodes : 0;
            if (series != expected)
            {
                throw new InvalidOperationException($"The scrape held {series} per-node power series; the fleet has {options.TotalNodes} nodes and per-node metrics were {(nodeMetrics ? "on" : "off")}.");
            }

            var result = new ScrapeResult(nodeMetrics, Percentiles.Median(latencies), Percentiles.Of(latencies, 99), bytes, series, cpuPerSnapshotMs, server.ResidentBytes(), log.Records.Count(r => r.Failed));
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  per-node metrics {(nodeMetrics ? "on" : "off")}: scrape p50 {result.P50Ms:F0} ms p99 {result.P99Ms:F0} ms, {result.Bytes / 1e6:F1} MB, {series} node series, server CPU {result.CpuMsPerSnapshot:F0} ms per snapshot, resident {result.ResidentBytes / 1e6:F0} MB, errors {result.Errors}"));
            return result;
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
        }
    }
}

/// <summary>One configuration's figures in one run.</summary>
/// <param name="NodeMetrics">Whether per-node metrics were on.</param>
/// <param name="P50Ms">Median scrape time.</param>
/// <param name="P99Ms">99th percentile scrape time.</param>
/// <param name="Bytes">Size of a scrape.</param>
/// <param name="NodeSeries">Per-node power series in it.</param>
/// <param name="CpuMsPerSnapshot">Server CPU per snapshot of the Site grains while idle otherwise.</param>
/// <param name="ResidentBytes">The server's resident memory after the scrapes.</param>
/// <param name="Errors">Failed registration and heartbeat calls.</param>
internal sealed record ScrapeResult(bool NodeMetrics, double P50Ms, double P99Ms, long Bytes, int NodeSeries, double CpuMsPerSnapshot, long ResidentBytes, int Errors);
