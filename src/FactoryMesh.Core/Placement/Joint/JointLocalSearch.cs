namespace FactoryMesh.Core.Placement.Joint;

/// <summary>
/// Improves a plan one replica at a time: a replica moves to the model's better node when that node has the GPUs free, and
/// the move loses no site the model still needs (better by <see cref="JointModel.Cost(int, int)"/>, so at equal objective a
/// replica goes back to a node it runs on now). Repeats until no move helps or the deadline passes. Cheap (a pass reads
/// each model's hostable nodes once per replica) and it never makes a plan worse.
/// </summary>
internal static class JointLocalSearch
{
    private const double Tie = 1e-12;

    /// <summary>
    /// The improved plan; with <paramref name="onlyBack"/>, only moves back to current nodes are made, which never add to the
    /// plan's moves (a move budget the plan meets stays met).
    /// </summary>
    public static int[][] Improve(JointModel joint, int[][] plan, int[][] current, Func<bool> pastDeadline, bool onlyBack = false)
    {
        var free = (int[])joint.FreeGpus.Clone();
        var chosen = plan.Select(p => p.ToList()).ToArray();
        for (var m = 0; m < chosen.Length; m++)
        {
            foreach (var e in chosen[m])
            {
                free[joint.Problems[m].Node[e]] -= joint.Problems[m].Gpus[e];
            }
        }

        var ordered = Enumerable.Range(0, chosen.Length)
            .Select(m => joint.Hostable(m).OrderBy(e => joint.Cost(m, e)).ToArray()).ToArray();
        for (var improved = true; improved && !pastDeadline();)
        {
            improved = false;
            for (var m = 0; m < chosen.Length; m++)
            {
                var problem = joint.Problems[m];
                var taken = chosen[m].ToHashSet();
                var now = current[m].ToHashSet();
                var siteCount = new Dictionary<int, int>();
                foreach (var e in chosen[m])
                {
                    siteCount[joint.SiteOf(m, e)] = siteCount.GetValueOrDefault(joint.SiteOf(m, e)) + 1;
                }

                for (var r = 0; r < chosen[m].Count; r++)
                {
                    var from = chosen[m][r];
                    var fromSite = joint.SiteOf(m, from);
                    // Leaving the replica's site is safe unless it is the site's last replica and the model needs every site it has.
                    var mayLeaveSite = siteCount[fromSite] > 1 || siteCount.Count > joint.Targets[m].NewSites;
                    foreach (var to in ordered[m])
                    {
                        if (joint.Cost(m, to) >= joint.Cost(m, from) - Tie)
                        {
                            break;
                        }

                        if (onlyBack && !now.Contains(to))
                        {
                            continue;
                        }

                        var toSite = joint.SiteOf(m, to);
                        if (taken.Contains(to) || free[problem.Node[to]] < problem.Gpus[to] || (toSite != fromSite && !mayLeaveSite)
                            || (joint.Targets[m].HasBudget && !WithinBudget(joint, m, chosen[m], from, to)))
                        {
                            continue;
                        }

                        free[problem.Node[from]] += problem.Gpus[from];
                        free[problem.Node[to]] -= problem.Gpus[to];
                        taken.Remove(from);
                        taken.Add(to);
                        chosen[m][r] = to;
                        siteCount[fromSite]--;
                        if (siteCount[fromSite] == 0)
                        {
                            siteCount.Remove(fromSite);
                        }

                        siteCount[toSite] = siteCount.GetValueOrDefault(toSite) + 1;
                        improved = true;
                        break;
                    }
                }
            }
        }

        return chosen.Select(c => c.Order().ToArray()).ToArray();
    }

    private static bool WithinBudget(JointModel joint, int m, List<int> chosen, int from, int to)
    {
        var problem = joint.Problems[m];
        var cost = chosen.Sum(e => problem.CostUsdPerHour[e]) - problem.CostUsdPerHour[from] + problem.CostUsdPerHour[to];
        return cost <= joint.Targets[m].BudgetLeftUsdPerHour;
    }

    /// <summary>
    /// Improves a plan with at most <paramref name="moveBudget"/> replicas moved off current nodes in all: the single moves
    /// that gain most go first, each re-checked against the room and budget the earlier ones left.
    /// </summary>
    public static int[][] ImproveWithinMoves(JointModel joint, int[][] plan, int[][] current, int moveBudget, Func<bool> pastDeadline)
    {
        var free = (int[])joint.FreeGpus.Clone();
        var chosen = plan.Select(p => p.ToList()).ToArray();
        for (var m = 0; m < chosen.Length; m++)
        {
            foreach (var e in chosen[m])
            {
                free[joint.Problems[m].Node[e]] -= joint.Problems[m].Gpus[e];
            }
        }

        var now = current.Select(c => c.ToHashSet()).ToArray();
        var moves = chosen.Select((c, m) => current[m].Count(e => !c.Contains(e))).Sum();
        var ordered = Enumerable.Range(0, chosen.Length).Select(m => joint.Hostable(m).OrderBy(e => joint.Cost(m, e)).ToArray()).ToArray();
        while (moves < moveBudget && !pastDeadline())
        {
            // Every replica's best move now, by gain; the best few are applied while they still fit.
            var proposals = new List<(double Gain, int Model, int Slot, int To)>();
            for (var m = 0; m < chosen.Length; m++)
            {
                var taken = chosen[m].ToHashSet();
                var sites = chosen[m].GroupBy(e => joint.SiteOf(m, e)).ToDictionary(g => g.Key, g => g.Count());
                for (var r = 0; r < chosen[m].Count; r++)
                {
                    var from = chosen[m][r];
                    var mayLeaveSite = sites[joint.SiteOf(m, from)] > 1 || sites.Count > joint.Targets[m].NewSites;
                    foreach (var to in ordered[m])
                    {
                        if (joint.Cost(m, to) >= joint.Cost(m, from) - Tie)
                        {
                            break;
                        }

                        if (!taken.Contains(to) && free[joint.Problems[m].Node[to]] >= joint.Problems[m].Gpus[to]
                            && (mayLeaveSite || joint.SiteOf(m, to) == joint.SiteOf(m, from))
                            && (!joint.Targets[m].HasBudget || WithinBudget(joint, m, chosen[m], from, to)))
                        {
                            proposals.Add((joint.Cost(m, from) - joint.Cost(m, to), m, r, to));
                            break;
                        }
                    }
                }
            }

            // Sites and budget were judged against each model's plan as it was, so a model moves at most once per round.
            var touched = new HashSet<int>();
            foreach (var (_, m, r, to) in proposals.OrderByDescending(p => p.Gain))
            {
                var problem = joint.Problems[m];
                var from = chosen[m][r];
                var cost = (now[m].Contains(from) ? 1 : 0) - (now[m].Contains(to) ? 1 : 0);
                if (touched.Contains(m) || moves + cost > moveBudget || free[problem.Node[to]] < problem.Gpus[to])
                {
                    continue;
                }

                free[problem.Node[from]] += problem.Gpus[from];
                free[problem.Node[to]] -= problem.Gpus[to];
                chosen[m][r] = to;
                moves += cost;
                touched.Add(m);
            }

            if (touched.Count == 0)
            {
                break;
            }
        }

        return chosen.Select(c => c.Order().ToArray()).ToArray();
    }
}
