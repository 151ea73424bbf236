using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace FactoryMesh.LoadGen;

/// <summary>
/// Heartbeat capacity of one silo against several silos of one cluster, in one run on the same database and machine:
/// each configuration gets a fresh cluster id (its own membership and grain rows), the same fleet, and agents spread
/// over its silos (site i talks to silo i mod N). Measured over the capacity phase: heartbeats accepted per second and
/// the CPU every server process spent per 1,000 of them — what predicts a real cluster, where silos do not share
/// two cores. The configurations alternate which goes first, run to run.
/// </summary>
internal sealed class ScaleOutRun(LoadGenOptions options, TextWriter progress)
{
    public async Task<IReadOnlyList<ScaleOutResult>> ExecuteAsync(int run)
    {
        var order = run % 2 == 1 ? new[] { 1, options.Silos } : [options.Silos, 1];
        var results = new List<ScaleOutResult>();
        foreach (var silos in order)
        {
            results.Add(await MeasureAsync(silos));
        }

        return [.. results.OrderBy(r => r.Silos)];
    }

    private async Task<ScaleOutResult> MeasureAsync(int siloCount)
    {
        var clusterId = $"scale-{siloCount}-{Guid.NewGuid():N}"[..24];
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var silos = new List<ServerUnderTest>();
        var sites = new List<SimulatedSite>();
        try
        {
            for (var i = 0; i < siloCount; i++)
            {
                silos.Add(await ServerUnderTest.StartSiloAsync(options, clusterId, key));
            }

            using var operatorClient = new OperatorClient(silos[0].Address, silos[0].OperatorToken);
            for (var s = 0; s < options.Sites; s++)
            {
                var siteId = $"site-{s:D2}";
                sites.Add(new SimulatedSite(silos[s % siloCount].Address, siteId, await operatorClient.CreateSiteAsync(siteId), options.NodesPerSite));
            }

            var registration = new RequestLog();
            await Task.WhenAll(sites.Select(s => s.RegisterAsync(registration, CancellationToken.None)));
            await Task.WhenAll(sites.Select(s => s.HeartbeatRoundAsync(new RequestLog(), baseline: false, CancellationToken.None))); // warm: every node active

            var length = TimeSpan.FromSeconds(options.SteadySeconds);
            var cpuBefore = silos.Sum(s => s.CpuSeconds());
            var started = Stopwatch.GetTimestamp();
            var log = await LoadRun.AsFastAsAcceptedAsync(sites, length, baseline: false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = silos.Sum(s => s.CpuSeconds()) - cpuBefore;
            var records = log.Records;
            var accepted = records.Sum(r => r.Accepted);
            var result = new ScaleOutResult(
                siloCount,
                accepted / seconds,
                1000 * cpu / Math.Max(accepted, 1) * 1000,
                Percentiles.Median(records.Where(r => !r.Failed).Select(r => r.LatencyMs)),
                Percentiles.Of(records.Where(r => !r.Failed).Select(r => r.LatencyMs), 99),
                records.Count(r => r.Failed) + registration.Records.Count(r => r.Failed));
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {siloCount} silo(s): {result.HeartbeatsPerSecond:F0} heartbeats/s, server CPU {result.CpuMsPerThousand:F0} ms per 1,000, batch p50 {result.P50Ms:F0} ms p99 {result.P99Ms:F0} ms, errors {result.Errors}"));
            return result;
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }
}

/// <summary>One configuration's figures in one run.</summary>
/// <param name="Silos">Silos in the cluster.</param>
/// <param name="HeartbeatsPerSecond">Heartbeats accepted per second, as fast as answered.</param>
/// <param name="CpuMsPerThousand">CPU milliseconds (all server processes, user and system) per 1,000 accepted heartbeats.</param>
/// <param name="P50Ms">Median batch latency.</param>
/// <param name="P99Ms">99th percentile batch latency.</param>
/// <param name="Errors">Failed registration and heartbeat calls.</param>
internal sealed record ScaleOutResult(int Silos, double HeartbeatsPerSecond, double CpuMsPerThousand, double P50Ms, double P99Ms, int Errors);
