using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Placement.Joint;

namespace FactoryMesh.Core.Tests.Placement.Joint;

/// <summary>
/// The joint problem stated from the brief and solved by brute force, from the raw node and site figures: which nodes may host
/// each model (the single-model oracle's hard constraints), each replica's economics by the token-economics formulas, the
/// tenant's normalized objective, and every combination of node sets across models under whole-GPU capacity, budgets and
/// spread. Plans are ordered by fewest missing replicas, then fewest missing sites, then lowest objective.
/// </summary>
internal static class JointOracle
{
    private const double BudgetSlack = 1e-6;

    /// <summary>One model's hostable nodes with their oracle-computed figures.</summary>
    public sealed record Option(string NodeId, string SiteId, int Gpus, double CostUsdPerHour, double Objective);

    /// <summary>A plan's lexicographic score.</summary>
    public readonly record struct Score(int MissingReplicas, int MissingSites, double Objective);

    /// <summary>Per model (in request order), its hostable nodes, scored on its tenant's normalized objective.</summary>
    public static Option[][] Options(JointPlacementRequest request) =>
        request.Items.Select(item => OptionsFor(request, item)).ToArray();

    /// <summary>The best score any plan reaches, by exhaustive search.</summary>
    public static Score Optimum(JointPlacementRequest request)
    {
        var options = Options(request);
        var subsets = options.Select((o, m) => Subsets(o, request.Items[m])).ToArray();
        var freeGpus = request.Candidates.ToDictionary(c => c.Node.NodeId, c => (int)Math.Floor(c.Node.FreeGpuMemoryGiB / c.Node.Inventory.GpuMemoryGiB + 1e-9));
        var best = new Score(int.MaxValue, int.MaxValue, double.MaxValue);
        Search(0, new Score(0, 0, 0));
        return best;

        void Search(int m, Score sofar)
        {
            if (m == subsets.Length)
            {
                if (Better(sofar, best))
                {
                    best = sofar;
                }

                return;
            }

            foreach (var subset in subsets[m])
            {
                if (!subset.All(o => freeGpus[o.NodeId] >= o.Gpus))
                {
                    continue;
                }

                foreach (var o in subset)
                {
                    freeGpus[o.NodeId] -= o.Gpus;
                }

                Search(m + 1, Add(sofar, ScoreOf(request.Items[m], subset)));
                foreach (var o in subset)
                {
                    freeGpus[o.NodeId] += o.Gpus;
                }
            }
        }
    }

    /// <summary>The score of a plan given as node ids per model; throws when the plan breaks a rule the oracle knows.</summary>
    public static Score Check(JointPlacementRequest request, IReadOnlyList<IReadOnlyList<string>> plan)
    {
        var options = Options(request);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = new Score(0, 0, 0);
        for (var m = 0; m < plan.Count; m++)
        {
            var byNode = options[m].ToDictionary(o => o.NodeId, StringComparer.Ordinal);
            var chosen = plan[m].Select(id => byNode.TryGetValue(id, out var o) ? o : throw new InvalidOperationException($"model {m}: node {id} may not host it")).ToList();
            if (chosen.Count != chosen.Select(o => o.NodeId).Distinct().Count() || chosen.Count > request.Items[m].Model.Replicas)
            {
                throw new InvalidOperationException($"model {m}: {chosen.Count} replicas on {chosen.Select(o => o.NodeId).Distinct().Count()} nodes");
            }

            if (request.Items[m].Policy.BudgetUsdPerHour is { } budget && chosen.Sum(o => o.CostUsdPerHour) > budget + BudgetSlack)
            {
                throw new InvalidOperationException($"model {m}: over its budget");
            }

            foreach (var o in chosen)
            {
                used[o.NodeId] = used.GetValueOrDefault(o.NodeId) + o.Gpus;
            }

            total = Add(total, ScoreOf(request.Items[m], chosen));
        }

        foreach (var candidate in request.Candidates)
        {
            var free = (int)Math.Floor(candidate.Node.FreeGpuMemoryGiB / candidate.Node.Inventory.GpuMemoryGiB + 1e-9);
            if (used.GetValueOrDefault(candidate.Node.NodeId) > free)
            {
                throw new InvalidOperationException($"node {candidate.Node.NodeId}: {used[candidate.Node.NodeId]} GPUs used of {free} free");
            }
        }

        return total;
    }

    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public static bool Better(Score a, Score b) =>
        a.MissingReplicas != b.MissingReplicas ? a.MissingReplicas < b.MissingReplicas
        : a.MissingSites != b.MissingSites ? a.MissingSites < b.MissingSites
        : a.Objective < b.Objective - 1e-9;

    private static Score Add(Score a, Score b) => new(a.MissingReplicas + b.MissingReplicas, a.MissingSites + b.MissingSites, a.Objective + b.Objective);

    private static Score ScoreOf(JointPlacementItem item, IReadOnlyList<Option> chosen) => new(
        item.Model.Replicas - chosen.Count,
        Math.Max(0, item.Model.MinSites - chosen.Select(o => o.SiteId).Distinct().Count()),
        chosen.Sum(o => o.Objective));

    private static List<Option[]> Subsets(Option[] options, JointPlacementItem item)
    {
        var all = new List<Option[]>();
        var stack = new List<Option>();
        Grow(0);
        return all;

        void Grow(int from)
        {
            if (item.Policy.BudgetUsdPerHour is not { } budget || stack.Sum(o => o.CostUsdPerHour) <= budget + BudgetSlack)
            {
                all.Add([.. stack]);
            }

            if (stack.Count == item.Model.Replicas)
            {
                return;
            }

            for (var i = from; i < options.Length; i++)
            {
                stack.Add(options[i]);
                Grow(i + 1);
                stack.RemoveAt(stack.Count - 1);
            }
        }
    }

    private static Option[] OptionsFor(JointPlacementRequest request, JointPlacementItem item)
    {
        var single = new PlacementRequest(item.Model, item.Policy, request.Candidates, [], request.Now, request.MinRemainingFreshness);
        var eligible = request.Candidates.Where(c => Oracle.FirstFailure(single, c) is null).Select(c =>
        {
            var node = c.Node.Inventory;
            var gpus = (int)Math.Ceiling(item.Model.GpuMemoryGiB / node.GpuMemoryGiB - 1e-9);
            var share = (double)Math.Max(1, gpus) / node.GpuCount;
            var rate = item.Model.TokensPerSecondByGpu[node.GpuModel];
            var usdPerHour = share * (node.CostUsdPerHour + (node.PowerWatts / 1000 * c.Site.Pue * c.Site.ElectricityUsdPerKwh));
            var usdPerMTok = usdPerHour / (rate * 3600) * 1e6;
            var joules = share * node.PowerWatts * c.Site.Pue / rate;
            var grams = joules / 3.6e6 * c.Site.CarbonGramsPerKwh;
            return (c, Gpus: Math.Max(1, gpus), usdPerHour, usdPerMTok, joules, grams);
        }).ToList();
        if (eligible.Count == 0)
        {
            return [];
        }

        var w = item.Policy.Weights;
        var sum = w.Cost + w.Energy + w.Carbon;
        double minCost = eligible.Min(e => e.usdPerMTok), minJoules = eligible.Min(e => e.joules), minGrams = eligible.Min(e => e.grams);
        return eligible
            .Where(e => e.Gpus <= (int)Math.Floor(e.c.Node.FreeGpuMemoryGiB / e.c.Node.Inventory.GpuMemoryGiB + 1e-9))
            .Select(e => new Option(e.c.Node.NodeId, e.c.SiteId, e.Gpus, e.usdPerHour,
                (w.Cost / sum * Ratio(e.usdPerMTok, minCost)) + (w.Energy / sum * Ratio(e.joules, minJoules)) + (w.Carbon / sum * Ratio(e.grams, minGrams))))
            .ToArray();
    }

    private static double Ratio(double value, double unit) => unit > 0 ? value / unit : 1;
}
