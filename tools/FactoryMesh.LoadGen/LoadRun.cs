using System.Diagnostics;
using System.Globalization;

namespace FactoryMesh.LoadGen;

/// <summary>
/// One run on a fresh server: registration, baseline and steady heartbeats, a recovery storm, a restart. Every phase
/// goes through the public API with the agents' client; nothing reaches into the server's process.
/// </summary>
internal sealed class LoadRun(LoadGenOptions options, TextWriter progress)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public async Task<RunResult> ExecuteAsync()
    {
        await using var server = await ServerUnderTest.StartAsync(options);
        using var operatorClient = new OperatorClient(server.Address, server.OperatorToken);
        var sites = new List<SimulatedSite>();
        try
        {
            for (var s = 0; s < options.Sites; s++)
            {
                var siteId = $"site-{s:D2}";
                sites.Add(new SimulatedSite(server.Address, siteId, await operatorClient.CreateSiteAsync(siteId), options.NodesPerSite));
            }

            var idle = server.ResidentBytes();
            var result = await RegisterAsync(sites);
            result = await SteadyAsync(sites, result);
            var loaded = server.ResidentBytes();
            result = result with { ResidentBytesIdle = idle, ResidentBytesLoaded = loaded, BytesPerNode = (loaded - idle) / (double)options.TotalNodes };
            result = await StormAsync(sites, operatorClient, result);
            return await RestartAsync(server, operatorClient, sites, result);
        }
        finally
        {
            sites.ForEach(s => s.Dispose());
        }
    }

    private async Task<RunResult> RegisterAsync(List<SimulatedSite> sites)
    {
        var log = new RequestLog();
        await Task.WhenAll(sites.Select(s => s.RegisterAsync(log, CancellationToken.None)));
        var seconds = Stopwatch.GetElapsedTime(log.StartedTimestamp).TotalSeconds;
        var records = log.Records;
        var registered = records.Sum(r => r.Accepted);
        progress.WriteLine($"  registration: {registered} nodes in {seconds:F1} s ({registered / seconds:F0} nodes/s)");
        return new RunResult
        {
            RegistrationSeconds = seconds,
            RegistrationNodesPerSecond = registered / seconds,
            RegistrationP99Ms = Percentiles.Of(records.Where(r => !r.Failed).Select(r => r.LatencyMs), 99),
            RegistrationErrors = records.Count(r => r.Failed) + (options.TotalNodes - registered),
        };
    }

    // Capacity: baseline, then the real endpoint, each as fast as answered (every agent sends its next batch as soon
    // as the last is answered). Steady: the real endpoint, then the baseline, at the offered rate, so latency is
    // measured at a load, not at saturation, where it only measures the queue the agents themselves build.
    // Phases without real heartbeats (the baselines) are shorter than the Suspect threshold and follow real traffic,
    // so the fleet is steady, not in a mass transition, while the baseline is measured.
    private async Task<RunResult> SteadyAsync(List<SimulatedSite> sites, RunResult result)
    {
        await Task.WhenAll(sites.Select(s => s.HeartbeatRoundAsync(new RequestLog(), baseline: false, CancellationToken.None))); // every node Ready, unmeasured
        var capacityLength = TimeSpan.FromSeconds(options.BaselineSeconds);
        var baselineMax = (await AsFastAsAcceptedAsync(sites, capacityLength, baseline: true)).Records;
        var realMax = (await AsFastAsAcceptedAsync(sites, capacityLength, baseline: false)).Records;
        var period = TimeSpan.FromSeconds(options.TotalNodes / (double)options.SteadyRate);
        var steadyLength = TimeSpan.FromSeconds(options.SteadySeconds);
        var steady = await PacedAsync(sites, steadyLength, period, baseline: false);
        var baselinePaced = (await PacedAsync(sites, capacityLength, period, baseline: true)).Records;
        var steadyRecords = steady.Records;
        var windows = steady.ThroughputWindows(Window < steadyLength ? Window : steadyLength, steadyLength);
        result = result with
        {
            BaselineMaxHeartbeatsPerSecond = baselineMax.Sum(r => r.Accepted) / capacityLength.TotalSeconds,
            MaxHeartbeatsPerSecond = realMax.Sum(r => r.Accepted) / capacityLength.TotalSeconds,
            MaxP99Ms = Percentiles.Of(realMax.Select(r => r.LatencyMs), 99),
            SteadyOfferedPerSecond = options.SteadyRate,
            BaselineP50Ms = Percentiles.Median(baselinePaced.Select(r => r.LatencyMs)),
            BaselineP99Ms = Percentiles.Of(baselinePaced.Select(r => r.LatencyMs), 99),
            SteadyHeartbeatsPerSecond = steadyRecords.Sum(r => r.Accepted) / steadyLength.TotalSeconds,
            SteadyP50Ms = Percentiles.Median(steadyRecords.Select(r => r.LatencyMs)),
            SteadyP99Ms = Percentiles.Of(steadyRecords.Select(r => r.LatencyMs), 99),
            SteadyErrors = steadyRecords.Count(r => r.Failed) + realMax.Count(r => r.Failed),
            SteadyWindows = windows,
        };
        progress.WriteLine($"  capacity: baseline {result.BaselineMaxHeartbeatsPerSecond:F0}/s, real {result.MaxHeartbeatsPerSecond:F0}/s (p99 {result.MaxP99Ms:F0} ms at saturation)");
        progress.WriteLine($"  steady at {options.SteadyRate}/s offered: {result.SteadyHeartbeatsPerSecond:F0}/s p50 {result.SteadyP50Ms:F1} ms p99 {result.SteadyP99Ms:F1} ms (baseline p99 {result.BaselineP99Ms:F1} ms), errors {result.SteadyErrors}");
        progress.WriteLine($"  steady windows (10 s): {string.Join(", ", windows.Select(w => w.ToString("F0", CultureInfo.InvariantCulture)))}");
        return result;
    }

    /// <summary>Every site sends round after round, each as soon as the last is answered, for <paramref name="length"/>.</summary>
    public static async Task<RequestLog> AsFastAsAcceptedAsync(List<SimulatedSite> sites, TimeSpan length, bool baseline)
    {
        var log = new RequestLog();
        using var stop = new CancellationTokenSource(length);
        await Task.WhenAll(sites.Select(async site =>
        {
            while (!stop.IsCancellationRequested)
            {
                await site.HeartbeatRoundAsync(log, baseline, stop.Token);
            }
        }));
        return log;
    }

    // Every site sends a round (all its nodes) every period, the sites' rounds spread evenly over the period. A site
    // whose round outlasts the period starts the next at once: the achieved rate then says so.
    private static async Task<RequestLog> PacedAsync(List<SimulatedSite> sites, TimeSpan length, TimeSpan period, bool baseline, CancellationToken cancellationToken = default)
    {
        var log = new RequestLog();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(length);
        await Task.WhenAll(sites.Select(async (site, index) =>
        {
            var next = Stopwatch.GetTimestamp() + (long)(period.TotalSeconds * Stopwatch.Frequency * index / sites.Count);
            while (!stop.IsCancellationRequested)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero && !await DelayAsync(wait, stop.Token))
                {
                    break;
                }

                next += (long)(period.TotalSeconds * Stopwatch.Frequency);
                await site.HeartbeatRoundAsync(log, baseline, stop.Token);
            }
        }));
        return log;
    }

    private static async Task<bool> DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Every node goes silent past the grace period (NotReady), then all agents come back at once at the configured
    // interval: how long until the site counts say every node is Ready, and how slow the slowest request was.
    private async Task<RunResult> StormAsync(List<SimulatedSite> sites, OperatorClient operatorClient, RunResult result)
    {
        progress.WriteLine($"  storm: waiting for {options.TotalNodes} nodes to go NotReady (grace {options.GraceSeconds} s)");
        await WaitForAsync(async () => (await operatorClient.SitesAsync()).Sum(s => s.Ready) == 0, TimeSpan.FromSeconds(options.GraceSeconds + 60), "every node NotReady");

        var log = new RequestLog();
        var interval = TimeSpan.FromSeconds(options.HeartbeatIntervalSeconds);
        var firstRoundDone = new long[sites.Count];
        using var stop = new CancellationTokenSource();
        var agents = sites.Select((site, index) => Task.Run(async () =>
        {
            var round = 0;
            while (!stop.IsCancellationRequested)
            {
                var began = Stopwatch.GetTimestamp();
                await site.HeartbeatRoundAsync(log, baseline: false, stop.Token);
                if (round++ == 0)
                {
                    firstRoundDone[index] = Stopwatch.GetTimestamp();
                }

                var rest = interval - Stopwatch.GetElapsedTime(began);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        })).ToArray();

        await WaitForAsync(async () => (await operatorClient.SitesAsync()).Sum(s => s.Ready) == options.TotalNodes, TimeSpan.FromSeconds(120), "every node Ready again");
        var allReady = Stopwatch.GetTimestamp();
        await stop.CancelAsync();
        await Task.WhenAll(agents);
        var records = log.Records;
        result = result with
        {
            StormSecondsToAllReady = Stopwatch.GetElapsedTime(log.StartedTimestamp, allReady).TotalSeconds,
            StormSecondsAfterFirstRound = Math.Max(0, Stopwatch.GetElapsedTime(firstRoundDone.Max(), allReady).TotalSeconds),
            StormMaxRequestMs = records.Where(r => !r.Failed).Select(r => r.LatencyMs).DefaultIfEmpty(double.NaN).Max(),
            StormP99Ms = Percentiles.Of(records.Where(r => !r.Failed).Select(r => r.LatencyMs), 99),
            StormErrors = records.Count(r => r.Failed),
        };
        progress.WriteLine($"  storm: all Ready {result.StormSecondsToAllReady:F1} s after it began ({result.StormSecondsAfterFirstRound:F1} s after the first round), slowest request {result.StormMaxRequestMs:F0} ms, errors {result.StormErrors}");
        return result;
    }

    // SIGTERM, start again on the same data folder, the agents heartbeating at their interval throughout as real ones
    // do (their failed sends while the server is away are not counted): how long from the new process's start until
    // every node is listed, Ready. Without the agents the right liveness would turn from Ready to Suspect 3 intervals
    // after the start, and the figure would measure the race against that instead.
    private async Task<RunResult> RestartAsync(ServerUnderTest server, OperatorClient operatorClient, List<SimulatedSite> sites, RunResult result)
    {
        using var stopAgents = new CancellationTokenSource();
        var agents = PacedAsync(sites, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(options.HeartbeatIntervalSeconds), baseline: false, stopAgents.Token);
        await server.StopAsync();
        await server.RestartAsync();
        await WaitForAsync(
            async () =>
            {
                var sites = await operatorClient.SitesAsync();
                if (sites.Sum(s => s.Nodes) != options.TotalNodes || sites.Sum(s => s.Ready) != options.TotalNodes)
                {
                    return false;
                }

                foreach (var site in sites)
                {
                    var nodes = await operatorClient.NodesAsync(site.SiteId);
                    if (nodes.Count != options.NodesPerSite || nodes.Any(n => n.Liveness != "Ready"))
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(180),
            "every node listed and Ready after the restart");
        var seconds = Stopwatch.GetElapsedTime(server.StartedTimestamp).TotalSeconds;
        await stopAgents.CancelAsync();
        await agents;
        progress.WriteLine($"  restart: every node listed and Ready {seconds:F1} s after the process started");
        return result with { RestartSecondsToListed = seconds };
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // the server is still starting
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Gave up waiting for {what} after {timeout.TotalSeconds:F0} s.");
    }
}
