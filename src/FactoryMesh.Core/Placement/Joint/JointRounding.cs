namespace FactoryMesh.Core.Placement.Joint;

/// <summary>
/// Turns the linear relaxation's answer into a plan: pairs the relaxation chose outright first, then split ones by their
/// share, each taken while its node still has the GPUs and its model still wants replicas within its budget; models still short of sites or
/// replicas are then filled from their best remaining nodes, new sites first. A quick plan close to the bound, which the
/// integer search starts from.
/// </summary>
internal static class JointRounding
{
    public static int[][] Round(JointModel joint, IEnumerable<(int Model, int E, double Value)> relaxed)
    {
        var models = joint.Problems.Length;
        var free = (int[])joint.FreeGpus.Clone();
        var chosen = Enumerable.Range(0, models).Select(_ => new List<int>()).ToArray();
        var taken = Enumerable.Range(0, models).Select(_ => new HashSet<int>()).ToArray();
        var sites = Enumerable.Range(0, models).Select(_ => new HashSet<int>()).ToArray();
        var spent = new double[models];

        bool TryTake(int m, int e)
        {
            var problem = joint.Problems[m];
            var node = problem.Node[e];
            if (chosen[m].Count >= joint.Targets[m].Count || taken[m].Contains(e) || free[node] < problem.Gpus[e]
                || spent[m] + problem.CostUsdPerHour[e] > joint.Targets[m].BudgetLeftUsdPerHour)
            {
                return false;
            }

            free[node] -= problem.Gpus[e];
            spent[m] += problem.CostUsdPerHour[e];
            chosen[m].Add(e);
            taken[m].Add(e);
            sites[m].Add(joint.SiteOf(m, e));
            return true;
        }

        foreach (var (m, e, _) in relaxed.Where(p => p.Value > 1e-6).OrderByDescending(p => p.Value).ThenBy(p => joint.Cost(p.Model, p.E)))
        {
            var missingSites = joint.Targets[m].NewSites - sites[m].Count;
            var left = joint.Targets[m].Count - chosen[m].Count;
            // Keep room for the sites still missing: a pair at a covered site may not take the last slots they need.
            if (missingSites > 0 && left <= missingSites && sites[m].Contains(joint.SiteOf(m, e)))
            {
                continue;
            }

            TryTake(m, e);
        }

        for (var m = 0; m < models; m++)
        {
            var problem = joint.Problems[m];
            var byObjective = joint.Hostable(m).OrderBy(e => joint.Cost(m, e)).ToArray();
            foreach (var e in byObjective)
            {
                if (sites[m].Count >= joint.Targets[m].NewSites)
                {
                    break;
                }

                if (!sites[m].Contains(joint.SiteOf(m, e)))
                {
                    TryTake(m, e);
                }
            }

            foreach (var e in byObjective)
            {
                if (chosen[m].Count >= joint.Targets[m].Count)
                {
                    break;
                }

                TryTake(m, e);
            }
        }

        return chosen.Select(c => c.Order().ToArray()).ToArray();
    }
}
