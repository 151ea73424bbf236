using System.Diagnostics;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Placement.Joint;

namespace FactoryMesh.Bench;

/// <summary>
/// The joint planner on a busy factory (<see cref="ContendedFleet"/>): how long a 200-model, 1,000-replica plan over 10,000
/// nodes takes and how close to optimal it is proven, and what it saves against the schedulers people actually run, all placing
/// the same models on the same fleet under the same hard constraints. Every plan is recounted against the raw node figures
/// (GPUs per node within the free ones, one replica of a model per node) before its figures are printed.
/// </summary>
internal static class JointPlacementReport
{
    private const int Models = 200;
    private const int ReplicasEach = 5;
    private const int RunsPerSeed = 3;

    public static void Run(TextWriter output, int nodes, int seeds, TimeSpan timeLimit)
    {
        output.WriteLine($"## Joint placement: {Models} models, {Models * ReplicasEach:N0} replicas over {nodes:N0} busy nodes (#15)");
        output.WriteLine();
        output.WriteLine($"Time limit {timeLimit.TotalSeconds:0.#} s; {seeds} fleets and model mixes (seeds); tenants on cost only, so every scheduler is judged on the");
        output.WriteLine("figure it is meant to lower. Cost index: each replica's USD per million tokens over the cheapest its model could get on this fleet were it");
        output.WriteLine("alone (1.000 = every replica on its model's best free node), averaged over the replicas; ×r is a baseline's index over the joint");
        output.WriteLine("plan's, in the same run. USD/h and Mtok/h are the plan's totals (a plan of fewer, slower GPUs costs less per hour and serves less).");
        output.WriteLine();
        output.WriteLine("| seed | joint wall ms | status | proven gap | pairs searched | joint: placed, cost index, USD/h, Mtok/h | sequential per-token greedy | cheapest USD/h first fit | round robin | Mélange-style type mix |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var solver = new JointPlacementSolver();
        var times = new List<double>();
        var gaps = new List<double>();
        var versus = new Dictionary<string, List<double>>();
        // Warm up the native solver and the JIT once, outside the measurements.
        solver.Solve(new JointPlacementRequest(ContendedFleet.Build(500, 99), ContendedFleet.Models(10, 2, 99, costOnly: true), SyntheticFleet.Now, SyntheticFleet.MinFreshness, null, timeLimit));
        for (var seed = 1; seed <= seeds; seed++)
        {
            var fleet = ContendedFleet.Build(nodes, seed);
            var items = ContendedFleet.Models(Models, ReplicasEach, seed, costOnly: true);
            var request = new JointPlacementRequest(fleet, items, SyntheticFleet.Now, SyntheticFleet.MinFreshness, null, timeLimit);
            // Three solves per seed for the wall time; the figures are the first plan's.
            JointPlacementPlan plan = null!;
            var wall = 0.0;
            for (var run = 0; run < RunsPerSeed; run++)
            {
                var started = Stopwatch.GetTimestamp();
                var solved = solver.Solve(request);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                times.Add(elapsed);
                gaps.Add(solved.Gap);
                (plan, wall) = run == 0 ? (solved, elapsed) : (plan, wall);
            }

            var best = items.Select(i => PlacementSolver.Rank(new PlacementRequest(i.Model, i.Policy, fleet, [], SyntheticFleet.Now, SyntheticFleet.MinFreshness))
                .Select(c => c.Economics.CostUsdPerMillionTokens).DefaultIfEmpty(double.NaN).Min()).ToArray();
            var joint = Evaluate(fleet, items, best, plan.Models.Select(m => m.Replicas.Select(r => r.NodeId).ToList()).ToList());
            var sequentialPlan = new PlacementSolver().SolveBatch(new PlacementBatchRequest(fleet, items.Select(i => new PlacementBatchItem(i.Model, i.Policy, [])).ToList(), SyntheticFleet.Now, SyntheticFleet.MinFreshness));
            var baselines = new (string Name, Totals Totals)[]
            {
                ("sequential", Evaluate(fleet, items, best, sequentialPlan.Select(d => d.Replicas.Select(r => r.NodeId).ToList()).ToList())),
                ("cheapest", Evaluate(fleet, items, best, JointBaselines.FirstFit(fleet, items, JointBaselines.CheapestPerHour))),
                ("round-robin", Evaluate(fleet, items, best, JointBaselines.FirstFit(fleet, items, JointBaselines.RoundRobin()))),
                ("melange", Evaluate(fleet, items, best, JointBaselines.FirstFit(fleet, items, JointBaselines.TypeMix(fleet)))),
            };
            var cells = baselines.Select(b =>
            {
                var ratio = b.Totals.CostIndex / joint.CostIndex;
                (versus.TryGetValue(b.Name, out var list) ? list : versus[b.Name] = []).Add(ratio);
                return $"{b.Totals.Replicas}, {b.Totals.CostIndex:F3} (×{ratio:F3}), {b.Totals.UsdPerHour:N0}, {b.Totals.MillionTokensPerHour:N0}";
            });
            output.WriteLine($"| {seed} | {wall:N0} | {plan.Status} | {plan.Gap:P2} | {plan.PooledCandidates:N0} | {joint.Replicas}, {joint.CostIndex:F3}, {joint.UsdPerHour:N0}, {joint.MillionTokensPerHour:N0} | {string.Join(" | ", cells)} |");
        }

        var time = new Percentiles(times);
        var gap = new Percentiles(gaps);
        output.WriteLine();
        output.WriteLine($"Over {time.Count} solves ({RunsPerSeed} per seed): wall time median {time.Median:N0} ms, p99 {time.P99:N0} ms; proven gap median {gap.Median:P2}, p95 {gap.P95:P2}, max {gap.Max:P2}.");
        output.WriteLine($"Baseline cost index over the joint plan's (median over seeds): " +
            string.Join(", ", versus.Select(v => $"{v.Key} ×{new Percentiles(v.Value).Median:F3}")) + ".");
        output.WriteLine();
    }

    private static Totals Evaluate(List<PlacementCandidate> fleet, List<JointPlacementItem> items, double[] best, List<List<string>> plan)
    {
        var byId = fleet.ToDictionary(c => c.Node.NodeId, StringComparer.Ordinal);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var totals = new Totals();
        for (var m = 0; m < items.Count; m++)
        {
            var model = items[m].Model;
            if (plan[m].Distinct(StringComparer.Ordinal).Count() != plan[m].Count || plan[m].Count > model.Replicas)
            {
                throw new InvalidOperationException($"{items[m].Key}: a node twice or too many replicas");
            }

            foreach (var nodeId in plan[m])
            {
                var candidate = byId[nodeId];
                if (!TokenEconomics.TryEvaluate(model, candidate.Node.Inventory, candidate.Site, out var economics))
                {
                    throw new InvalidOperationException($"{items[m].Key}: {nodeId} cannot host it");
                }

                used[nodeId] = used.GetValueOrDefault(nodeId) + economics.GpusPerReplica;
                totals.Add(economics.CostUsdPerHour, economics.TokensPerSecond, economics.CostUsdPerMillionTokens / best[m]);
            }
        }

        foreach (var (nodeId, gpus) in used)
        {
            var node = byId[nodeId].Node;
            if (gpus > Math.Floor(node.FreeGpuMemoryGiB / node.Inventory.GpuMemoryGiB + 1e-9))
            {
                throw new InvalidOperationException($"{nodeId}: {gpus} GPUs planned, fewer free");
            }
        }

        return totals;
    }

    private sealed class Totals
    {
        private double _index;

        public int Replicas { get; private set; }

        public double UsdPerHour { get; private set; }

        public double MillionTokensPerHour { get; private set; }

        /// <summary>Mean over replicas of its cost per token over its model's best.</summary>
        public double CostIndex => _index / Replicas;

        public void Add(double usdPerHour, double tokensPerSecond, double index)
        {
            Replicas++;
            UsdPerHour += usdPerHour;
            MillionTokensPerHour += tokensPerSecond * 3600 / 1e6;
            _index += index;
        }
    }
}
