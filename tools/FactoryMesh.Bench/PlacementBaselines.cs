using FactoryMesh.Core.Placement;

namespace FactoryMesh.Bench;

/// <summary>
/// The simple schedulers the solver is measured against, on the solver's own eligibility and economics (<see cref="PlacementSolver.Rank"/>),
/// so only the choice differs. Both walk the candidates in one fixed order and take each node that still fits the budget and
/// leaves room for the sites still missing, with no look-ahead; they differ in the order.
/// </summary>
internal static class PlacementBaselines
{
    /// <summary>Plain greedy: best objective first.</summary>
    public static List<RankedCandidate> Greedy(IReadOnlyList<RankedCandidate> ranked, int count, int minSites, double? budget) =>
        FirstFit(ranked, count, minSites, budget);

    /// <summary>The naive scheduler: cheapest replica per hour first, blind to throughput, energy and carbon.</summary>
    public static List<RankedCandidate> CheapestPerHour(IReadOnlyList<RankedCandidate> ranked, int count, int minSites, double? budget) =>
        FirstFit(ranked.OrderBy(c => c.Economics.CostUsdPerHour).ThenBy(c => c.NodeId, StringComparer.Ordinal).ToList(), count, minSites, budget);

    private static List<RankedCandidate> FirstFit(IReadOnlyList<RankedCandidate> walk, int count, int minSites, double? budget)
    {
        var chosen = new List<RankedCandidate>(count);
        var sites = new HashSet<string>(StringComparer.Ordinal);
        var spent = 0.0;
        foreach (var candidate in walk)
        {
            if (chosen.Count == count)
            {
                break;
            }

            var coveredAfter = sites.Count + (sites.Contains(candidate.SiteId) ? 0 : 1);
            var fitsBudget = budget is not { } limit || spent + candidate.Economics.CostUsdPerHour <= limit;
            if (fitsBudget && count - (chosen.Count + 1) >= Math.Max(0, minSites - coveredAfter))
            {
                chosen.Add(candidate);
                sites.Add(candidate.SiteId);
                spent += candidate.Economics.CostUsdPerHour;
            }
        }

        return chosen;
    }
}
