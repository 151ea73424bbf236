namespace FactoryMesh.Core.Placement.Joint;

/// <summary>
/// The joint problem as both of its solvers see it: each model screened and scored on its own, its targets, the whole GPUs each
/// node has free, and the weights that make the objective lexicographic (one missing replica outweighs every missing site,
/// one missing site outweighs any objective).
/// </summary>
internal sealed class JointModel
{
    // A node's free memory is a sum of whole-GPU reservations, so the quotient is integral on paper; rounding must not lose a GPU.
    private const double WholeGpuTolerance = 1e-9;

    /// <summary>
    /// What staying on a node the model runs on now is worth, in objective units: one unit of CP-SAT's integer objective, so at
    /// equal objective every solver keeps a replica where it is (a move that gains nothing only costs a migration), and too
    /// small to outweigh any real difference.
    /// </summary>
    public const double StayBonus = 1e-5;

    private readonly int[][] _hostable;
    private readonly int[][] _sites;
    private readonly HashSet<int>[] _current;

    public JointModel(PlacementProblem[] problems, SelectionTargets[] targets, CandidateFleet fleet, int[][] current)
    {
        Problems = problems;
        _current = current.Select(c => c.ToHashSet()).ToArray();
        Targets = targets;
        FreeGpus = new int[fleet.Count];
        for (var n = 0; n < fleet.Count; n++)
        {
            FreeGpus[n] = (int)Math.Floor(fleet.FreeGpuMemoryGiB[n] / fleet.GpuMemoryGiB[n] + WholeGpuTolerance);
        }

        _hostable = new int[problems.Length][];
        _sites = new int[problems.Length][];
        var largestObjective = 1.0;
        for (var m = 0; m < problems.Length; m++)
        {
            var problem = problems[m];
            _hostable[m] = Enumerable.Range(0, problem.EligibleCount).Where(e => problem.Gpus[e] <= FreeGpus[problem.Node[e]]).ToArray();
            _sites[m] = _hostable[m].Select(e => fleet.SiteOf[problem.Node[e]]).Distinct().Order().ToArray();
            var worst = _hostable[m].Select(e => problem.Objective[e]).DefaultIfEmpty(0).Max();
            largestObjective += worst * targets[m].Count;
        }

        SiteWeight = Math.Ceiling(largestObjective);
        ShortWeight = SiteWeight * (targets.Sum(t => t.NewSites) + 1);
        var worstReplica = problems.Select((p, m) => _hostable[m].Select(e => p.Objective[e]).DefaultIfEmpty(1).Max()).DefaultIfEmpty(1).Max();
        RelaxedSiteWeight = Math.Min(SiteWeight, RelaxedWeightFactor * worstReplica);
        RelaxedShortWeight = Math.Min(ShortWeight, 2 * RelaxedWeightFactor * worstReplica);
    }

    // The linear relaxation's penalty weights are capped: weights of 1e7 beside objectives of 1 leave GLOP numerically
    // ABNORMAL, and lower weights only weaken the bound (every plan costs at least as much at the true weights).
    private const double RelaxedWeightFactor = 100;

    /// <summary>The missing-site weight in the linear relaxation: at most <see cref="SiteWeight"/>, so its optimum stays a lower bound.</summary>
    public double RelaxedSiteWeight { get; }

    /// <summary>The missing-replica weight in the linear relaxation: at most <see cref="ShortWeight"/>.</summary>
    public double RelaxedShortWeight { get; }

    public PlacementProblem[] Problems { get; }

    public SelectionTargets[] Targets { get; }

    /// <summary>Whole GPUs free per fleet node.</summary>
    public int[] FreeGpus { get; }

    /// <summary>What one missing site costs in the objective: more than any plan's objective.</summary>
    public double SiteWeight { get; }

    /// <summary>What one missing replica costs: more than every site and any objective together.</summary>
    public double ShortWeight { get; }

    /// <summary>
    /// Whether a plan may miss replicas or sites (at the weights above). When a known plan meets every target, the optimum does
    /// too, so the targets are stated as hard constraints instead: the same optimum, without weights that leave the linear
    /// relaxation numerically ill-conditioned.
    /// </summary>
    public bool AllowsShortfall { get; set; } = true;

    /// <summary>The eligible positions of <paramref name="model"/> whose replica fits its node's whole free GPUs.</summary>
    public IReadOnlyList<int> Hostable(int model) => _hostable[model];

    /// <summary>The sites <paramref name="model"/> has a hostable node in.</summary>
    public IReadOnlyList<int> SitesOf(int model) => _sites[model];

    /// <summary>The site of eligible position <paramref name="e"/> of <paramref name="model"/>.</summary>
    public int SiteOf(int model, int e) => Problems[model].Fleet.SiteOf[Problems[model].Node[e]];

    /// <summary>The most replicas a plan may move off current nodes that could keep them; null for no limit.</summary>
    public int? MaxMoves { get; init; }

    /// <summary>True when <paramref name="model"/> runs on eligible position <paramref name="e"/> now.</summary>
    public bool IsCurrent(int model, int e) => _current[model].Contains(e);

    /// <summary>Current pairs a plan could keep (their replica still fits the node).</summary>
    public int Stayable => _current.Select((c, m) => c.Count(e => Problems[m].Gpus[e] <= FreeGpus[Problems[m].Node[e]])).Sum();

    /// <summary>What choosing pair (<paramref name="model"/>, <paramref name="e"/>) costs the solvers: its objective, less <see cref="StayBonus"/> on a current node.</summary>
    public double Cost(int model, int e) => Problems[model].Objective[e] - (_current[model].Contains(e) ? StayBonus : 0);

    /// <summary>A plan's cost to the solvers: <see cref="Cost"/> summed, its penalties aside.</summary>
    public double Cost(int[][] plan)
    {
        var sum = 0.0;
        for (var m = 0; m < plan.Length; m++)
        {
            foreach (var e in plan[m])
            {
                sum += Cost(m, e);
            }
        }

        return sum;
    }

    /// <summary>A plan's objective, its penalties aside.</summary>
    public double Objective(int[][] plan)
    {
        var sum = 0.0;
        for (var m = 0; m < plan.Length; m++)
        {
            foreach (var e in plan[m])
            {
                sum += Problems[m].Objective[e];
            }
        }

        return sum;
    }

    /// <summary>A plan's penalties: missing replicas and missing sites, weighted.</summary>
    public double Penalty(int[][] plan)
    {
        var penalty = 0.0;
        for (var m = 0; m < plan.Length; m++)
        {
            penalty += Math.Max(0, Targets[m].Count - plan[m].Length) * ShortWeight;
            penalty += Math.Max(0, Targets[m].NewSites - plan[m].Select(e => SiteOf(m, e)).Distinct().Count()) * SiteWeight;
        }

        return penalty;
    }
}
