using System.Diagnostics;
using FactoryMesh.Core.Placement;

namespace FactoryMesh.Bench;

/// <summary>
/// Wall-clock latency of placement, measured call by call with a <see cref="Stopwatch"/> after a warm-up, on fleets of several
/// sizes: one replica of one model (the request path), and a batch of models totalling 1,000 replicas (a bulk deployment or the
/// re-placement after a site loss). Each call compiles the fleet from its candidate records, as a real call would.
/// </summary>
internal static class PlacementLatency
{
    public static void Run(TextWriter output, bool quick)
    {
        var solver = new PlacementSolver();
        output.WriteLine("## Latency (ms; each call screens, scores and explains every candidate)");
        output.WriteLine();
        output.WriteLine("| fleet | what | runs | median | p99 | max | decisions/s | allocated/call |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var nodes in new[] { 1_000, 10_000, 50_000 })
        {
            var fleet = SyntheticFleet.Build(nodes);
            var singleRuns = quick ? 50 : nodes >= 50_000 ? 200 : 1_000;
            SingleReplica(output, solver, fleet, nodes, singleRuns, budgeted: false);
            SingleReplica(output, solver, fleet, nodes, singleRuns, budgeted: true);
            Batch(output, solver, fleet, nodes, quick ? 3 : nodes >= 50_000 ? 10 : 30);
        }

        output.WriteLine();
        output.WriteLine("\"budgeted\": every tenant has a budget just below its best replica's cost per hour, so the budget binds and the pruned");
        output.WriteLine("exact search or the heuristic runs; without a budget, placement is the exact matroid greedy at every size.");
        output.WriteLine("With 30 runs or fewer, p99 is the slowest run.");
        output.WriteLine();
    }

    private static void SingleReplica(TextWriter output, PlacementSolver solver, List<PlacementCandidate> fleet, int nodes, int runs, bool budgeted)
    {
        var requests = Enumerable.Range(0, runs).Select(i => Request(fleet, i, budgeted)).ToList();
        for (var i = 0; i < Math.Min(20, runs); i++)
        {
            solver.Solve(requests[i]);
        }

        var times = new List<double>(runs);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var total = Stopwatch.StartNew();
        var modes = new Dictionary<string, int>();
        foreach (var request in requests)
        {
            var started = Stopwatch.GetTimestamp();
            var decision = solver.Solve(request);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            modes[decision.Mode] = modes.GetValueOrDefault(decision.Mode) + 1;
        }

        total.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var stats = new Percentiles(times);
        var what = budgeted ? $"1 replica, budgeted ({string.Join(", ", modes.OrderBy(m => m.Key).Select(m => $"{m.Value} {m.Key}"))})" : "1 replica";
        output.WriteLine($"| {nodes:N0} | {what} | {runs} | {stats.Median:F2} | {stats.P99:F2} | {stats.Max:F2} | {runs / total.Elapsed.TotalSeconds:N0} | {allocated / runs / 1024.0:N0} KiB |");
    }

    private static void Batch(TextWriter output, PlacementSolver solver, List<PlacementCandidate> fleet, int nodes, int runs)
    {
        var batch = new PlacementBatchRequest(fleet, SyntheticFleet.Batch(1_000), SyntheticFleet.Now, SyntheticFleet.MinFreshness);
        var first = solver.SolveBatch(batch);
        var times = new List<double>(runs);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var total = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            solver.SolveBatch(batch);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        total.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var stats = new Percentiles(times);
        var placed = first.Sum(d => d.Replicas.Count);
        var decisions = batch.Items.Count * runs;
        output.WriteLine($"| {nodes:N0} | batch: {batch.Items.Count} models, 1,000 replicas asked, {placed} placed | {runs} | {stats.Median:F1} | {stats.P99:F1} | {stats.Max:F1} | {decisions / total.Elapsed.TotalSeconds:N0} | {allocated / runs / 1024.0 / 1024.0:N1} MiB |");
    }

    private static PlacementRequest Request(List<PlacementCandidate> fleet, int i, bool budgeted)
    {
        var model = SyntheticFleet.Models[i % SyntheticFleet.Models.Length];
        var tenant = SyntheticFleet.Tenants[i / SyntheticFleet.Models.Length % SyntheticFleet.Tenants.Length];
        var request = new PlacementRequest(model, tenant, fleet, [], SyntheticFleet.Now, SyntheticFleet.MinFreshness);
        if (!budgeted)
        {
            return request;
        }

        var best = PlacementSolver.Rank(request);
        var budget = best.Count == 0 ? 1 : 0.98 * best[0].Economics.CostUsdPerHour;
        return request with { Policy = tenant with { BudgetUsdPerHour = budget } };
    }
}
