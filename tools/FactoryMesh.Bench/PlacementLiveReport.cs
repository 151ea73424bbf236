using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.Contracts.Http;
using FactoryMesh.ServerHost;
using FactoryMesh.SimulatedTee;

namespace FactoryMesh.Bench;

/// <summary>
/// Joint placement through the real server at factory size, the way an operator drives it: six sites, 10,000 attested
/// nodes registered in batches, four tenants, 200 models placed one by one with the per-model endpoint, then one site's
/// power turns cheap and <c>POST /api/v1/placement</c> re-plans the fleet (dry run, then applied with a move budget).
/// Reports each step's wall time and the plan's figures, and checks afterwards that every model still runs its replicas.
/// </summary>
public static class PlacementLiveReport
{
    /// <summary>The command that runs it: <c>dotnet run -c Release --project tools/FactoryMesh.Bench -- placement-live [--nodes N]</c>.</summary>
    public const string Command = "placement-live";

    private const int Models = 200;
    private const int ReplicasEach = 5;
    private const int MoveBudget = 300;

    /// <summary>Runs the report.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var nodes = Array.IndexOf(args, "--nodes") is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        await using var host = await SimulatedTeeServer.StartAsync(
            "placement-live",
            "--FactoryMesh:Attestation:MaxAgeSeconds=3600",
            "--FactoryMesh:RateLimits:attestation:PermitsPerSecond=100000",
            "--FactoryMesh:RateLimits:attestation:Burst=100000",
            "--Logging:LogLevel:Default=Warning");
        var server = host.Server;
        using var api = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.OperatorToken);
        Console.WriteLine($"# Joint placement through the server: {nodes:N0} nodes, {Models} models × {ReplicasEach} replicas");
        Console.WriteLine();

        var step = Stopwatch.StartNew();
        var nodeIds = await RegisterAsync(api, nodes);
        Console.WriteLine($"- registered {nodeIds.Count:N0} nodes in {step.Elapsed.TotalSeconds:F1} s");
        using var stopBeating = new CancellationTokenSource();
        var beating = HeartbeatAsync(api, nodeIds, stopBeating.Token);

        step.Restart();
        await AttestAsync(api, host.Vendor, nodeIds);
        Console.WriteLine($"- attested them in {step.Elapsed.TotalSeconds:F1} s");

        step.Restart();
        var models = await DefineAsync(api);
        var perModel = new List<double>();
        var refused = new List<string>();
        foreach (var (tenant, model) in models)
        {
            var started = Stopwatch.GetTimestamp();
            var placed = await api.PostAsync($"{ApiRoutes.Root}/tenants/{tenant}/models/{model}/placement", null);
            perModel.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!placed.IsSuccessStatusCode)
            {
                refused.Add($"{tenant}/{model}: {(int)placed.StatusCode} {await placed.Content.ReadAsStringAsync()}");
            }
        }

        var single = new Percentiles(perModel);
        Console.WriteLine($"- placed {models.Count - refused.Count} of {models.Count} models one by one in {step.Elapsed.TotalSeconds:F1} s (per model: median {single.Median:F0} ms, p99 {single.P99:F0} ms)");
        foreach (var refusal in refused.Take(3))
        {
            Console.WriteLine($"  not placed: {refusal[..Math.Min(400, refusal.Length)]}");
        }


        // Power in Frankfurt turns cheap: most models would now rather run there.
        (await api.PutAsJsonAsync(ApiRoutes.Site("eu-fra-1"), new SiteProfileBody("DE", ["EU"], 0.02, 1.25, 380))).EnsureSuccessStatusCode();
        var dry = await PlanAsync(api, new FleetPlacementBody(DryRun: true), server);
        Console.WriteLine($"- dry run: {Describe(dry.Answer)} in {dry.Milliseconds:F0} ms");
        var applied = await PlanAsync(api, new FleetPlacementBody(MaxMoves: MoveBudget), server);
        Console.WriteLine($"- applied with maxMoves {MoveBudget}: {Describe(applied.Answer)}; {applied.Answer.GetProperty("added").GetInt32()} added, " +
            $"{applied.Answer.GetProperty("removed").GetInt32()} removed, {applied.Answer.GetProperty("refused").GetInt32()} refused, in {applied.Milliseconds:F0} ms");

        var shortModels = 0;
        foreach (var (tenant, model) in models)
        {
            var view = await api.GetFromJsonAsync<JsonElement>($"{ApiRoutes.Root}/tenants/{tenant}/models/{model}");
            shortModels += view.GetProperty("replicas").GetArrayLength() < ReplicasEach ? 1 : 0;
        }

        Console.WriteLine($"- afterwards: {models.Count - shortModels} of {models.Count} models run all {ReplicasEach} replicas");
        await stopBeating.CancelAsync();
        await beating;
        return shortModels == 0 ? 0 : 1;
    }

    private static string Describe(JsonElement answer)
    {
        var plan = answer.GetProperty("plan");
        return $"{plan.GetProperty("status").GetString()}, proven gap {plan.GetProperty("gap").GetDouble():P2}, {plan.GetProperty("moves").GetInt32()} moves, " +
            $"objective {plan.GetProperty("objective").GetDouble():F1} (now {plan.GetProperty("currentObjective").GetDouble():F1})";
    }

    private static async Task<(JsonElement Answer, double Milliseconds)> PlanAsync(HttpClient api, FleetPlacementBody body, ServerProcess server)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await api.PostAsJsonAsync(ApiRoutes.Placement, body);
        if (!response.IsSuccessStatusCode)
        {
            var log = server.Output;
            throw new InvalidOperationException($"POST {ApiRoutes.Placement} answered {(int)response.StatusCode}; the server's log ends:\n{log[Math.Max(0, log.Length - 4000)..]}");
        }

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (answer, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    // The site agents' part: every node heartbeats every 3 s (epoch 1, as registered), so liveness stays Ready throughout.
    private static async Task HeartbeatAsync(HttpClient api, List<string> nodeIds, CancellationToken cancellationToken)
    {
        var bySite = nodeIds.GroupBy(id => id.Split('/')[0]).ToList();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var site in bySite)
            {
                foreach (var batch in site.Chunk(ApiLimits.MaxHeartbeatBatch))
                {
                    (await api.PostAsJsonAsync(ApiRoutes.Heartbeats(site.Key), batch.Select(id => new HeartbeatReport(id, 1, 0.5, 10, 5_000, 1_000, now)).ToArray(), CancellationToken.None)).EnsureSuccessStatusCode();
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<List<string>> RegisterAsync(HttpClient api, int nodes)
    {
        var ids = new List<string>(nodes);
        var random = new Random(3);
        for (var s = 0; s < SyntheticFleet.Sites.Length; s++)
        {
            var (siteId, profile) = SyntheticFleet.Sites[s];
            (await api.PutAsJsonAsync(ApiRoutes.Site(siteId), new SiteProfileBody(profile.Jurisdiction, profile.Zones, profile.ElectricityUsdPerKwh, profile.Pue, profile.CarbonGramsPerKwh))).EnsureSuccessStatusCode();
            var count = nodes / SyntheticFleet.Sites.Length + (s < nodes % SyntheticFleet.Sites.Length ? 1 : 0);
            var items = Enumerable.Range(0, count).Select(i => i % 3 == 0
                ? new NodeRegistrationItem($"node-{i:00000}", "H200", 8, 141, "SIM", 10_200 * (0.95 + 0.1 * random.NextDouble()), 28 * (0.9 + 0.2 * random.NextDouble()))
                : new NodeRegistrationItem($"node-{i:00000}", "H100", 8, 80, "SIM", 10_200 * (0.95 + 0.1 * random.NextDouble()), 20 * (0.9 + 0.2 * random.NextDouble()))).ToArray();
            foreach (var batch in items.Chunk(ApiLimits.MaxRegistrationBatch))
            {
                (await api.PostAsJsonAsync(ApiRoutes.SiteNodes(siteId), batch)).EnsureSuccessStatusCode();
            }

            ids.AddRange(items.Select(i => $"{siteId}/{i.NodeId}"));
        }

        return ids;
    }

    private static async Task AttestAsync(HttpClient api, SimulatedVendorCa vendor, List<string> nodeIds)
    {
        await Parallel.ForEachAsync(nodeIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (nodeId, cancellationToken) =>
        {
            using var device = vendor.IssueDevice(nodeId.Split('/')[1], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(1));
            var challenge = await (await api.PostAsync(ApiRoutes.Challenge(nodeId), null, cancellationToken)).Content.ReadFromJsonAsync<AttestationChallenge>(cancellationToken);
            var evidence = SimulatedTeeServer.Evidence(device, nodeId, challenge!.Nonce);
            (await api.PostAsJsonAsync(ApiRoutes.Attestation(nodeId), new EvidenceSubmission("sim-jws", evidence), cancellationToken)).EnsureSuccessStatusCode();
        });
    }

    // Four tenants (EU-only, anything but India, US-only, unrestricted) and 200 models of three sizes among them.
    private static async Task<List<(string Tenant, string Model)>> DefineAsync(HttpClient api)
    {
        var tenants = new (string Id, object Body)[]
        {
            ("eu-bank", new { allowedZones = new[] { "EU" }, requiredTeeKinds = new[] { "SIM" }, weights = new { cost = 1, energy = 0.5, carbon = 0.5 } }),
            ("global-retail", new { deniedJurisdictions = new[] { "IN" } }),
            ("us-health", new { allowedJurisdictions = new[] { "US" }, weights = new { cost = 0.3, energy = 1, carbon = 0 } }),
            ("open-lab", new { weights = new { cost = 1, energy = 1, carbon = 1 } }),
        };
        foreach (var (id, body) in tenants)
        {
            (await api.PutAsJsonAsync($"{ApiRoutes.Root}/tenants/{id}", body)).EnsureSuccessStatusCode();
        }

        var sizes = new (double GiB, double H100, double H200)[] { (18, 3_900, 4_300), (154, 1_500, 2_000), (445, 500, 700) };
        var random = new Random(5);
        var models = new List<(string, string)>();
        for (var m = 0; m < Models; m++)
        {
            var tenant = tenants[random.Next(tenants.Length)].Id;
            var size = sizes[random.Next(sizes.Length)];
            var model = $"model-{m:000}";
            (await api.PutAsJsonAsync($"{ApiRoutes.Root}/tenants/{tenant}/models/{model}", new
            {
                gpuMemoryGiB = size.GiB,
                tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = size.H100, ["H200"] = size.H200 },
                replicas = ReplicasEach,
                minSites = 2,
            })).EnsureSuccessStatusCode();
            models.Add((tenant, model));
        }

        return models;
    }
}
