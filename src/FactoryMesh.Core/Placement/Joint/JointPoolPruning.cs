namespace FactoryMesh.Core.Placement.Joint;

/// <summary>
/// Drops model–node pairs that no optimal joint plan needs, so the solver sees thousands of pairs instead of models × nodes.
/// <para>
/// For model <c>m</c> at site <c>s</c>, call node <c>a</c> better than node <c>b</c> when it scores no worse on <c>m</c>'s
/// objective and (when <c>m</c> has a budget) costs no more. If <c>b</c> has at least <c>K = replicas(m) + B</c> better nodes at
/// <c>s</c>, where <c>B</c> bounds how many nodes at <c>s</c> the other models' replicas can fill so far that <c>m</c> no longer
/// fits, then in any plan that puts <c>m</c> on <c>b</c> one of those better nodes hosts neither <c>m</c> nor enough of the others
/// to refuse it: moving the replica there keeps every constraint (same site, same spread, no more cost, capacity by choice of
/// node) and does not worsen the objective. So <c>b</c> can go. <c>B</c> is the other models' GPUs that could land at <c>s</c>
/// over the fewest GPUs it takes to fill one node against <c>m</c>.
/// </para>
/// </summary>
internal static class JointPoolPruning
{
    /// <summary>
    /// Per model, the eligible positions to consider, in ascending order. <paramref name="hostable"/> says which pairs fit a
    /// node's whole free GPUs at all; <paramref name="alwaysKeep"/> are pairs kept whatever (current replicas, the warm start).
    /// </summary>
    public static int[][] Reduce(PlacementProblem[] problems, int[] replicasToPlace, int[] freeGpus, Func<int, int, bool> hostable, HashSet<int>[] alwaysKeep)
    {
        var models = problems.Length;
        var sites = problems.Length == 0 ? 0 : problems[0].ColorCount;
        var demandAt = new long[models, sites];
        var siteDemand = new long[sites];
        var bySite = new List<int>[models][];
        for (var m = 0; m < models; m++)
        {
            var problem = problems[m];
            bySite[m] = new List<int>[sites];
            var maxGpus = new int[sites];
            for (var e = 0; e < problem.EligibleCount; e++)
            {
                if (!hostable(m, e))
                {
                    continue;
                }

                var site = problem.Fleet.SiteOf[problem.Node[e]];
                (bySite[m][site] ??= []).Add(e);
                maxGpus[site] = Math.Max(maxGpus[site], problem.Gpus[e]);
            }

            for (var s = 0; s < sites; s++)
            {
                if (bySite[m][s] is { } here)
                {
                    demandAt[m, s] = (long)Math.Min(replicasToPlace[m], here.Count) * maxGpus[s];
                    siteDemand[s] += demandAt[m, s];
                }
            }
        }

        var pools = new int[models][];
        for (var m = 0; m < models; m++)
        {
            var problem = problems[m];
            var keep = new List<int>();
            for (var s = 0; s < sites; s++)
            {
                if (bySite[m][s] is not { } here)
                {
                    continue;
                }

                var fewestToFill = int.MaxValue;
                foreach (var e in here)
                {
                    fewestToFill = Math.Min(fewestToFill, freeGpus[problem.Node[e]] - problem.Gpus[e] + 1);
                }

                var others = siteDemand[s] - demandAt[m, s];
                var blockable = others / Math.Max(1, fewestToFill);
                var limit = replicasToPlace[m] + blockable;
                KeepUndominated(problem, here, limit, problem.Policy.BudgetUsdPerHour is not null, alwaysKeep[m], keep);
            }

            keep.Sort();
            pools[m] = [.. keep];
        }

        return pools;
    }

    private static void KeepUndominated(PlacementProblem problem, List<int> here, long limit, bool costMatters, HashSet<int> alwaysKeep, List<int> keep)
    {
        here.Sort((a, b) =>
        {
            var byObjective = problem.Objective[a].CompareTo(problem.Objective[b]);
            if (byObjective != 0)
            {
                return byObjective;
            }

            var byCost = problem.CostUsdPerHour[a].CompareTo(problem.CostUsdPerHour[b]);
            return byCost != 0 ? byCost : problem.Node[a].CompareTo(problem.Node[b]);
        });

        if (!costMatters)
        {
            for (var i = 0; i < here.Count; i++)
            {
                if (i < limit || alwaysKeep.Contains(here[i]))
                {
                    keep.Add(here[i]);
                }
            }

            return;
        }

        // Count, for each node in objective order, the earlier (objective-better) nodes that cost no more: a Fenwick tree over
        // cost ranks answers each count in O(log n).
        var costs = here.Select(e => problem.CostUsdPerHour[e]).Distinct().Order().ToArray();
        var tree = new int[costs.Length + 1];
        foreach (var e in here)
        {
            var rank = Array.BinarySearch(costs, problem.CostUsdPerHour[e]) + 1;
            var better = 0;
            for (var i = rank; i > 0; i -= i & -i)
            {
                better += tree[i];
            }

            if (better < limit || alwaysKeep.Contains(e))
            {
                keep.Add(e);
            }

            for (var i = rank; i < tree.Length; i += i & -i)
            {
                tree[i]++;
            }
        }
    }
}
