using System.Diagnostics;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Bench;

/// <summary>
/// What the exact search costs, to choose <see cref="PlacementSolverOptions.ExactMaxCandidates"/> and
/// <see cref="PlacementSolverOptions.ExactSearchNodeLimit"/>. Two families of budget-binding instances that pruning cannot
/// shrink (every node its own GPU type, so no node dominates another and the pool is the whole fleet):
/// <list type="bullet">
/// <item>graded: a faster type is dearer per hour but cheaper per token, the shape of a real fleet;</item>
/// <item>twins: two kinds of node, near-identical within a kind, a budget between them: many equally good sets, the
/// shape that makes branch and bound work hardest.</item>
/// </list>
/// </summary>
internal static class ExactSearchScaling
{
    public static void Run(TextWriter output, int perRow)
    {
        var options = new PlacementSolverOptions();
        var exact = new PlacementSolver(new PlacementSolverOptions { ExactMaxCandidates = int.MaxValue, ExactSearchNodeLimit = options.ExactSearchNodeLimit });
        output.WriteLine($"## Exact search by pool size (default branch limit {options.ExactSearchNodeLimit:N0}; whole solve timed)");
        output.WriteLine();
        output.WriteLine("| family | pool | replicas | median ms | p99 ms | max ms | proven optimal |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        var random = new Random(64);
        foreach (var (family, size, replicas) in new[]
        {
            ("graded", 16, 5), ("graded", 32, 5), ("graded", 64, 5), ("graded", 128, 5), ("graded", 256, 5), ("graded", 64, 10),
            ("twins", 32, 6), ("twins", 64, 6), ("twins", 64, 10), ("twins", 64, 16),
        })
        {
            var times = new List<double>();
            var proven = 0;
            for (var i = 0; i < perRow; i++)
            {
                var request = family == "graded" ? Graded(random, size, replicas) : Twins(random, size, replicas);
                var started = Stopwatch.GetTimestamp();
                var decision = exact.Solve(request);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                proven += decision.Mode == PlacementModes.Exact ? 1 : 0;
            }

            var stats = new Percentiles(times);
            output.WriteLine($"| {family} | {size} | {replicas} | {stats.Median:F2} | {stats.P99:F2} | {stats.Max:F2} | {proven / (double)perRow:P0} |");
        }

        output.WriteLine();
        output.WriteLine("An unproven search returns the heuristic's set (mode \"heuristic\"); the branch limit is what bounds the worst case.");
        output.WriteLine();
    }

    private static PlacementRequest Graded(Random random, int size, int replicas)
    {
        var nodes = new List<(double TokensPerSecond, double UsdPerHour, double Watts)>();
        for (var i = 0; i < size; i++)
        {
            var speed = 1 + 3 * random.NextDouble();
            // Price grows slower than speed: per token the fast types win, per hour the slow ones do.
            nodes.Add((1_000 * speed, 8 * Math.Pow(speed, 0.6 + 0.3 * random.NextDouble()), 2_000 * Math.Pow(speed, 0.8)));
        }

        return Request(nodes, replicas, minSites: 2, new ObjectiveWeights(1, 0.3, 0.2), random.NextDouble() * 0.6 + 0.2);
    }

    private static PlacementRequest Twins(Random random, int size, int replicas)
    {
        var nodes = new List<(double TokensPerSecond, double UsdPerHour, double Watts)>();
        for (var i = 0; i < size; i++)
        {
            var noise = 0.01 * random.NextDouble();
            var fast = i % 2 == 1;
            var usdPerHour = (fast ? 6 : 4) * (1 + noise);
            nodes.Add((usdPerHour / ((fast ? 0.5 : 1.0) * (1 - noise)) * 1_000, usdPerHour, 1_000));
        }

        return Request(nodes, replicas, minSites: 1, ObjectiveWeights.CostOnly, 0.45);
    }

    private static PlacementRequest Request(List<(double TokensPerSecond, double UsdPerHour, double Watts)> nodes, int replicas, int minSites,
        ObjectiveWeights weights, double budgetShare)
    {
        // A model's throughput table lists at most 64 GPU types, so nodes past the 64th repeat a type, with its rate.
        var table = new Dictionary<string, double>();
        var candidates = new List<PlacementCandidate>();
        var trust = new TrustStatus(TrustState.Trusted, SyntheticFleet.Now.AddSeconds(-30), SyntheticFleet.Now.AddMinutes(10), "attested");
        for (var i = 0; i < nodes.Count; i++)
        {
            var gpu = $"G{i % ModelSpec.MaxGpuModels:000}";
            table.TryAdd(gpu, nodes[i].TokensPerSecond);
            var (siteId, profile) = SyntheticFleet.Sites[i % 4];
            var inventory = new NodeInventory(gpu, 8, 80, "TDX", nodes[i].Watts, nodes[i].UsdPerHour);
            candidates.Add(new PlacementCandidate(new NodePlacementFacts($"{siteId}/n{i:000}", inventory, 640, trust, Liveness.Ready, 1), siteId, profile));
        }

        var tenant = new TenantPolicy([], [], [], [], 600, weights, null);
        var request = new PlacementRequest(new ModelSpec(140, table, replicas, minSites), tenant, candidates, [], SyntheticFleet.Now, SyntheticFleet.MinFreshness);
        var unbounded = new PlacementSolver().Solve(request).TotalCostUsdPerHour;
        var cheapest = PlacementBaselines.CheapestPerHour(PlacementSolver.Rank(request), replicas, minSites, null).Sum(c => c.Economics.CostUsdPerHour);
        return request with { Policy = tenant with { BudgetUsdPerHour = cheapest + budgetShare * (unbounded - cheapest) } };
    }
}
