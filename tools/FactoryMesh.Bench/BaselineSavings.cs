using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Bench;

/// <summary>
/// What choosing by cost, energy and carbon per token saves over a naive scheduler that fills the cheapest replica per hour
/// first. Both place the same 1,000-replica bulk deployment on the same 10,000-node heterogeneous fleet, one model after another,
/// reserving GPUs as they go, under the same hard constraints and spread. Fleet-wide figures are totals over every placed
/// replica: USD per hour over tokens per hour, facility watts over tokens per second.
/// </summary>
internal static class BaselineSavings
{
    public static void Run(TextWriter output, int nodes)
    {
        var fleet = SyntheticFleet.Build(nodes);
        var solver = new PlacementSolver();
        output.WriteLine($"## Savings against cheapest-per-hour first fit ({nodes:N0} nodes, 1,000 replicas)");
        output.WriteLine();
        output.WriteLine("| scheduler | replicas placed | USD per million tokens | J per token | mg CO2e per token |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        var baseline = Naive(fleet, SyntheticFleet.Batch(1_000));
        Print(output, "cheapest USD/h first fit (naive)", baseline);
        foreach (var (name, adjust) in new (string, Func<TenantPolicy, TenantPolicy>?)[]
        {
            ("solver, tenants' own weights", null),
            ("solver, every tenant on cost only", t => t with { Weights = ObjectiveWeights.CostOnly }),
            ("solver, every tenant on energy only", t => t with { Weights = new ObjectiveWeights(0, 1, 0) }),
        })
        {
            var decisions = solver.SolveBatch(new PlacementBatchRequest(fleet, SyntheticFleet.Batch(1_000, adjust), SyntheticFleet.Now, SyntheticFleet.MinFreshness));
            var totals = new Totals();
            foreach (var replica in decisions.SelectMany(d => d.Replicas))
            {
                // Tokens per second recovered from the replica's figures: (USD/h) / (USD per million tokens) = million tokens per hour.
                var tokensPerSecond = replica.CostUsdPerHour / replica.CostUsdPerMTok * 1e6 / 3600;
                totals.Add(replica.CostUsdPerHour, tokensPerSecond, replica.JoulesPerToken, replica.GramsCo2PerToken);
            }

            Print(output, name, totals, baseline);
        }

        output.WriteLine();
    }

    private static Totals Naive(List<PlacementCandidate> fleet, List<PlacementBatchItem> items)
    {
        var current = fleet.ToArray();
        var index = current.Select((c, i) => (c.Node.NodeId, i)).ToDictionary(p => p.NodeId, p => p.i, StringComparer.Ordinal);
        var totals = new Totals();
        foreach (var item in items)
        {
            var ranked = PlacementSolver.Rank(new PlacementRequest(item.Model, item.Policy, current, [], SyntheticFleet.Now, SyntheticFleet.MinFreshness));
            foreach (var choice in PlacementBaselines.CheapestPerHour(ranked, item.Model.Replicas, item.Model.MinSites, item.Policy.BudgetUsdPerHour))
            {
                var economics = choice.Economics;
                totals.Add(economics.CostUsdPerHour, economics.TokensPerSecond, economics.JoulesPerToken, economics.GramsCo2PerToken);
                var at = index[choice.NodeId];
                var node = current[at].Node;
                current[at] = current[at] with { Node = node with { FreeGpuMemoryGiB = node.FreeGpuMemoryGiB - economics.GpusPerReplica * node.Inventory.GpuMemoryGiB } };
            }
        }

        return totals;
    }

    private static void Print(TextWriter output, string name, Totals totals, Totals? baseline = null)
    {
        string Versus(double value, double? reference) => reference is { } r ? $" ({(value - r) / r:+0.0%;-0.0%})" : "";
        output.WriteLine($"| {name} | {totals.Replicas} | {totals.UsdPerMillionTokens:F4}{Versus(totals.UsdPerMillionTokens, baseline?.UsdPerMillionTokens)} " +
            $"| {totals.JoulesPerToken:F4}{Versus(totals.JoulesPerToken, baseline?.JoulesPerToken)} " +
            $"| {totals.GramsCo2PerToken * 1000:F5}{Versus(totals.GramsCo2PerToken, baseline?.GramsCo2PerToken)} |");
    }

    private sealed class Totals
    {
        private double _usdPerHour;
        private double _tokensPerSecond;
        private double _watts;
        private double _gramsPerSecond;

        public int Replicas { get; private set; }

        public double UsdPerMillionTokens => _usdPerHour / (_tokensPerSecond * 3600) * 1e6;

        public double JoulesPerToken => _watts / _tokensPerSecond;

        public double GramsCo2PerToken => _gramsPerSecond / _tokensPerSecond;

        public void Add(double usdPerHour, double tokensPerSecond, double joulesPerToken, double gramsPerToken)
        {
            Replicas++;
            _usdPerHour += usdPerHour;
            _tokensPerSecond += tokensPerSecond;
            _watts += joulesPerToken * tokensPerSecond;
            _gramsPerSecond += gramsPerToken * tokensPerSecond;
        }
    }
}
