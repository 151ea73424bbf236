using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Tests.Placement;

/// <summary>
/// Independent statements of the rules, written from the brief and not from the solver: which hard constraint a candidate
/// fails, the brute-force optimum, and plain greedy. Tests hold the solver to these.
/// </summary>
internal static class Oracle
{
    /// <summary>The first hard constraint the candidate fails, or null when it may host a replica.</summary>
    public static ExclusionReason? FirstFailure(PlacementRequest request, PlacementCandidate candidate)
    {
        var policy = request.Policy;
        var site = candidate.Site;
        var node = candidate.Node;
        if ((policy.AllowedJurisdictions.Count > 0 && !policy.AllowedJurisdictions.Contains(site.Jurisdiction))
            || policy.DeniedJurisdictions.Contains(site.Jurisdiction)
            || (policy.AllowedZones.Count > 0 && !site.Zones.Intersect(policy.AllowedZones).Any()))
        {
            return ExclusionReason.Sovereignty;
        }

        if (policy.RequiredTeeKinds.Count > 0 && !policy.RequiredTeeKinds.Contains(node.Inventory.TeeKind))
        {
            return ExclusionReason.TeeKind;
        }

        if (node.Trust.State != TrustState.Trusted)
        {
            return ExclusionReason.NotTrusted;
        }

        if (node.Trust.ExpiresAt is not { } expires || expires - request.Now < request.MinRemainingFreshness
            || node.Trust.VerifiedAt is not { } verified || verified < request.Now.AddSeconds(-policy.MaxAttestationAgeSeconds))
        {
            return ExclusionReason.FreshnessTooShort;
        }

        if (node.Liveness != Liveness.Ready)
        {
            return ExclusionReason.NotReady;
        }

        var gpus = (int)Math.Ceiling(request.Model.GpuMemoryGiB / node.Inventory.GpuMemoryGiB - 1e-9);
        if (gpus > node.Inventory.GpuCount || node.FreeGpuMemoryGiB < request.Model.GpuMemoryGiB)
        {
            return ExclusionReason.Capacity;
        }

        return request.Model.TokensPerSecondByGpu.TryGetValue(node.Inventory.GpuModel, out var rate) && rate > 0
            ? null
            : ExclusionReason.UnsupportedGpuModel;
    }

    /// <summary>What the kept replicas bring: count, site ids, cost per hour.</summary>
    public static (int Count, HashSet<string> Sites, double CostUsdPerHour) Kept(PlacementRequest request)
    {
        var ids = request.KeptNodeIds.Distinct().ToList();
        var sites = new HashSet<string>();
        var cost = 0.0;
        foreach (var id in ids)
        {
            var candidate = request.Candidates.FirstOrDefault(c => c.Node.NodeId == id);
            if (candidate is null)
            {
                sites.Add(id[..id.IndexOf('/', StringComparison.Ordinal)]);
                continue;
            }

            sites.Add(candidate.SiteId);
            if (TokenEconomics.TryEvaluate(request.Model, candidate.Node.Inventory, candidate.Site, out var economics))
            {
                cost += economics.CostUsdPerHour;
            }
        }

        return (ids.Count, sites, cost);
    }

    /// <summary>Whether a set of new replicas meets every set-level constraint of the request (count aside).</summary>
    public static bool SpreadAndBudgetHold(PlacementRequest request, IReadOnlyList<RankedCandidate> chosen)
    {
        var kept = Kept(request);
        var sites = new HashSet<string>(kept.Sites);
        sites.UnionWith(chosen.Select(c => c.SiteId));
        var cost = kept.CostUsdPerHour + chosen.Sum(c => c.Economics.CostUsdPerHour);
        return sites.Count >= request.Model.MinSites && WithinBudget(request, cost);
    }

    public static bool WithinBudget(PlacementRequest request, double totalCostUsdPerHour) =>
        request.Policy.BudgetUsdPerHour is not { } budget || totalCostUsdPerHour <= budget + 1e-9 * Math.Max(1, budget);

    /// <summary>The least objective over every set of the requested size meeting spread and budget, or null when none does.</summary>
    public static double? BruteForceOptimum(PlacementRequest request, IReadOnlyList<RankedCandidate> ranked, int count)
    {
        double? best = null;
        foreach (var set in Subsets(ranked, count))
        {
            if (SpreadAndBudgetHold(request, set))
            {
                var objective = set.Sum(c => c.Objective);
                best = best is null ? objective : Math.Min(best.Value, objective);
            }
        }

        return best;
    }

    /// <summary>The most new replicas any set can have within the budget (spread aside), up to <paramref name="requested"/>.</summary>
    public static int MostAffordable(PlacementRequest request, IReadOnlyList<RankedCandidate> ranked, int requested)
    {
        var kept = Kept(request);
        var costs = ranked.Select(c => c.Economics.CostUsdPerHour).Order().ToList();
        var count = 0;
        var spent = kept.CostUsdPerHour;
        while (count < Math.Min(requested, costs.Count) && WithinBudget(request, spent + costs[count]))
        {
            spent += costs[count++];
        }

        return count;
    }

    /// <summary>
    /// Plain greedy: walk the ranked candidates best first and take each that keeps the budget and still leaves room for the
    /// sites that are missing. No look-ahead, no repair.
    /// </summary>
    public static List<RankedCandidate> PlainGreedy(PlacementRequest request, IReadOnlyList<RankedCandidate> ranked, int count) =>
        FirstFit(request, ranked, count);

    /// <summary>The least-cost set meeting the spread, budget aside: cheapest per hour first, keeping room for missing sites.</summary>
    public static List<RankedCandidate> Cheapest(PlacementRequest request, IReadOnlyList<RankedCandidate> ranked, int count) =>
        FirstFit(request with { Policy = request.Policy with { BudgetUsdPerHour = null } },
            ranked.OrderBy(c => c.Economics.CostUsdPerHour).ThenBy(c => c.NodeId, StringComparer.Ordinal), count);

    private static List<RankedCandidate> FirstFit(PlacementRequest request, IEnumerable<RankedCandidate> walk, int count)
    {
        var ranked = walk;
        var kept = Kept(request);
        var sites = new HashSet<string>(kept.Sites);
        var spent = kept.CostUsdPerHour;
        var chosen = new List<RankedCandidate>();
        foreach (var candidate in ranked)
        {
            if (chosen.Count == count)
            {
                break;
            }

            var coveredAfter = sites.Count + (sites.Contains(candidate.SiteId) ? 0 : 1);
            var missingAfter = Math.Max(0, request.Model.MinSites - coveredAfter);
            if (WithinBudget(request, spent + candidate.Economics.CostUsdPerHour) && count - (chosen.Count + 1) >= missingAfter)
            {
                chosen.Add(candidate);
                sites.Add(candidate.SiteId);
                spent += candidate.Economics.CostUsdPerHour;
            }
        }

        return chosen;
    }

    private static IEnumerable<List<RankedCandidate>> Subsets(IReadOnlyList<RankedCandidate> items, int size)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }

        for (var first = 0; first <= items.Count - size; first++)
        {
            foreach (var rest in Subsets(items.Skip(first + 1).ToList(), size - 1))
            {
                rest.Insert(0, items[first]);
                yield return rest;
            }
        }
    }
}
