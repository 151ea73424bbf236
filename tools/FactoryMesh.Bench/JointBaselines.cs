using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Placement.Joint;

namespace FactoryMesh.Bench;

/// <summary>
/// Schedulers the joint planner is compared with. Each places the models one after another on the solver's own eligibility and
/// economics (<see cref="PlacementSolver.Rank"/> on the fleet as the models before left it), walking the candidates in its own
/// order and taking every node that fits with room left for the sites still missing; they differ only in the order.
/// </summary>
internal static class JointBaselines
{
    /// <summary>Orders one model's candidates; called once per model, in placement order.</summary>
    public delegate IEnumerable<RankedCandidate> Order(IReadOnlyList<RankedCandidate> ranked);

    /// <summary>The naive scheduler: cheapest replica per hour first, blind to throughput.</summary>
    public static IEnumerable<RankedCandidate> CheapestPerHour(IReadOnlyList<RankedCandidate> ranked) =>
        ranked.OrderBy(c => c.Economics.CostUsdPerHour).ThenBy(c => c.NodeId, StringComparer.Ordinal);

    /// <summary>Round robin: node-id order, each model starting where the one before stopped.</summary>
    public static Order RoundRobin()
    {
        var cursor = 0;
        return ranked =>
        {
            var ordered = ranked.OrderBy(c => c.NodeId, StringComparer.Ordinal).ToList();
            var start = ordered.Count == 0 ? 0 : cursor % ordered.Count;
            cursor += 997; // a prime stride, so consecutive models start far apart
            return ordered.Skip(start).Concat(ordered.Take(start));
        };
    }

    /// <summary>
    /// Mélange-style: choose the GPU type by its cost efficiency for the model (the type's median USD per million tokens), fill
    /// the best type first, cheapest node per hour first within it; the type mix, not the single node, is what it optimizes.
    /// </summary>
    public static Order TypeMix(List<PlacementCandidate> fleet)
    {
        var typeOf = fleet.ToDictionary(c => c.Node.NodeId, c => c.Node.Inventory.GpuModel, StringComparer.Ordinal);
        return ranked =>
        {
            var typeScore = ranked.GroupBy(c => typeOf[c.NodeId]).ToDictionary(g => g.Key, g => new Percentiles(g.Select(c => c.Economics.CostUsdPerMillionTokens)).Median);
            return ranked.OrderBy(c => typeScore[typeOf[c.NodeId]]).ThenBy(c => c.Economics.CostUsdPerHour).ThenBy(c => c.NodeId, StringComparer.Ordinal);
        };
    }

    /// <summary>Places every model in turn with <paramref name="order"/>, reserving whole GPUs as it goes; node ids per model.</summary>
    public static List<List<string>> FirstFit(List<PlacementCandidate> fleet, List<JointPlacementItem> items, Order order)
    {
        var current = fleet.ToArray();
        var index = current.Select((c, i) => (c.Node.NodeId, i)).ToDictionary(p => p.NodeId, p => p.i, StringComparer.Ordinal);
        var plan = new List<List<string>>(items.Count);
        foreach (var item in items)
        {
            var ranked = PlacementSolver.Rank(new PlacementRequest(item.Model, item.Policy, current, [], SyntheticFleet.Now, SyntheticFleet.MinFreshness));
            var chosen = new List<string>();
            var sites = new HashSet<string>(StringComparer.Ordinal);
            foreach (var candidate in order(ranked))
            {
                if (chosen.Count == item.Model.Replicas)
                {
                    break;
                }

                var at = index[candidate.NodeId];
                var node = current[at].Node;
                var freeGpus = Math.Floor(node.FreeGpuMemoryGiB / node.Inventory.GpuMemoryGiB + 1e-9);
                var coveredAfter = sites.Count + (sites.Contains(candidate.SiteId) ? 0 : 1);
                if (candidate.Economics.GpusPerReplica <= freeGpus && item.Model.Replicas - (chosen.Count + 1) >= Math.Max(0, item.Model.MinSites - coveredAfter))
                {
                    chosen.Add(candidate.NodeId);
                    sites.Add(candidate.SiteId);
                    current[at] = current[at] with { Node = node with { FreeGpuMemoryGiB = node.FreeGpuMemoryGiB - (candidate.Economics.GpusPerReplica * node.Inventory.GpuMemoryGiB) } };
                }
            }

            plan.Add(chosen);
        }

        return plan;
    }
}
