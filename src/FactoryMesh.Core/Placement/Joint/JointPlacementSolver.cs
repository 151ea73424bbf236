using System.Diagnostics;
using System.Globalization;
using FactoryMesh.Core.Validation;
using Google.OrTools.Sat;

namespace FactoryMesh.Core.Placement.Joint;

/// <summary>
/// Re-plans many models together under the fleet's GPU capacity, with OR-Tools CP-SAT.
/// <para>
/// Each model is screened on its own exactly as <see cref="PlacementSolver"/> screens it (sovereignty, TEE, trust freshness,
/// liveness, memory, GPU model) and scored on its tenant's normalized objective; the joint problem then chooses, per model, a
/// set of nodes: as many replicas as its targets ask (a shortfall is allowed but costs more than any objective), spanning its
/// required sites (likewise), within its budget, never more whole GPUs on a node than it has free, and at most
/// <see cref="JointPlacementRequest.MaxMoves"/> replicas moved off nodes that could keep them. The objective is the sum of every
/// model's objective, the same figure the single-model solver minimizes, so the two compare directly.
/// </para>
/// <para>
/// Models × nodes pairs run to millions, so the integer search does not see them all. The linear relaxation over every pair is
/// solved first by column generation (<see cref="JointRelaxation"/>), which proves a lower bound; CP-SAT then searches the pairs
/// the relaxation used plus every pair whose reduced cost is within the gap between the sequential greedy plan and that bound,
/// the only pairs a better plan can contain. When that pool is complete, CP-SAT's own bound holds for the whole problem too.
/// </para>
/// The search is warm-started from the sequential greedy plan (the batch solver on the same fleet) and never answers worse
/// than it; the plan carries the proven bound and gap.
/// </summary>
/// <param name="options">The single-model solver's limits, used for the warm start.</param>
public sealed class JointPlacementSolver(PlacementSolverOptions? options = null)
{
    /// <summary>Integer units per 1.0 of objective in CP-SAT's model: rounding costs at most 5e-6 per replica.</summary>
    private const double ObjectiveScaleFactor = 100_000;

    /// <summary>Integer units per USD/h in CP-SAT's budget rows.</summary>
    private const double CostScaleFactor = 1_000_000;

    /// <summary>The most model–node pairs handed to the integer search; past it the pool is cut and only the LP bound is proven.</summary>
    private const int MaxPoolPairs = 8_000;

    /// <summary>Share of the time limit the linear relaxation may take before the integer search starts.</summary>
    private const double RelaxationShare = 0.75;

    /// <summary>Share of the time limit by which a move-limited plan must be improved, leaving the rest to the integer search.</summary>
    private const double ImprovementShare = 0.9;

    private readonly PlacementSolver _sequential = new(options);

    /// <summary>Plans <paramref name="request"/>; throws <see cref="ArgumentException"/> for an invalid model, policy or a key listed twice.</summary>
    public JointPlacementPlan Solve(JointPlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        ThrowIfInvalid(request);
        var items = request.Items;
        var candidates = WithCurrentReplicasFreed(request);
        var sequential = _sequential.SolveBatch(new PlacementBatchRequest(
            candidates, items.Select(i => new PlacementBatchItem(i.Model, i.Policy, [])).ToArray(), request.Now, request.MinRemainingFreshness));

        var fleet = CandidateFleet.Compile(candidates);
        var problems = new PlacementProblem[items.Count];
        try
        {
            var targets = new SelectionTargets[items.Count];
            var positionOf = new Dictionary<int, int>[items.Count];
            for (var m = 0; m < items.Count; m++)
            {
                problems[m] = HardConstraints.Screen(fleet, items[m].Model, items[m].Policy, [], request.Now, request.MinRemainingFreshness);
                ObjectiveScale.Apply(problems[m], items[m].Policy.Weights);
                targets[m] = SelectionTargets.Compute(problems[m]);
                positionOf[m] = new Dictionary<int, int>(problems[m].EligibleCount);
                for (var e = 0; e < problems[m].EligibleCount; e++)
                {
                    positionOf[m][problems[m].Node[e]] = e;
                }
            }

            var current = items.Select((item, m) => Positions(fleet, positionOf[m], item.CurrentNodeIds)).ToArray();
            var joint = new JointModel(problems, targets, fleet, current) { MaxMoves = request.MaxMoves };
            var warm = sequential.Select((decision, m) => Positions(fleet, positionOf[m], decision.Replicas.Select(r => r.NodeId))).ToArray();
            // The fallback when the search finds nothing better: the sequential plan, or when that moves more replicas than allowed,
            // every current replica where it stands and the missing ones filled on the best nodes with room (no voluntary move).
            var fallback = Moves(current, warm) > (request.MaxMoves ?? int.MaxValue)
                ? JointRounding.Round(joint, current.SelectMany((pairs, m) => pairs.Select(e => (m, e, 1.0))))
                : warm;
            var fallbackValue = joint.Penalty(fallback) + joint.Cost(fallback);
            var fallbackIsSequential = fallback == warm;
            joint.AllowsShortfall = joint.Penalty(fallback) > 0;

            using var relaxation = new JointRelaxation(joint);
            SeedPool(joint, relaxation, current, warm);
            var relaxationDeadline = TimeSpan.FromTicks((long)(request.TimeLimit.Ticks * RelaxationShare));
            var improvementDeadline = TimeSpan.FromTicks((long)(request.TimeLimit.Ticks * ImprovementShare));
            var relaxed = relaxation.Solve(perModel: 40, () => Stopwatch.GetElapsedTime(started) > relaxationDeadline);
            var proven = relaxed && relaxation.Converged;
            // The integer search starts from the best of: the sequential plan and the relaxation's rounded plan, each improved by
            // moving replicas to better nodes with room; under a move budget, those of them within it and the fallback, each
            // improved by the moves that gain most while the budget lasts.
            bool PastSearchStart() => Stopwatch.GetElapsedTime(started) > relaxationDeadline;
            bool PastImprovement() => Stopwatch.GetElapsedTime(started) > improvementDeadline;
            var starts = new List<int[][]>();
            var rounded = relaxed ? JointRounding.Round(joint, relaxation.Solution()) : null;
            if (request.MaxMoves is not { } budget)
            {
                starts.Add(JointLocalSearch.Improve(joint, warm, current, PastSearchStart));
                if (rounded is not null)
                {
                    starts.Add(JointLocalSearch.Improve(joint, rounded, current, PastSearchStart));
                }
            }
            else
            {
                foreach (var plan in new[] { rounded, warm, fallback }.OfType<int[][]>().Where(p => Moves(current, p) <= budget))
                {
                    starts.Add(JointLocalSearch.ImproveWithinMoves(joint, plan, current, budget, PastImprovement));
                }
            }

            foreach (var start in starts.Where(p => Moves(current, p) <= (request.MaxMoves ?? int.MaxValue)))
            {
                if (joint.Penalty(start) + joint.Cost(start) < fallbackValue - 1e-9)
                {
                    (fallback, fallbackValue, fallbackIsSequential) = (start, joint.Penalty(start) + joint.Cost(start), false);
                }
            }

            var (pools, complete) = Pools(joint, relaxation, fallback, proven ? fallbackValue - relaxation.Value : 0);
            complete &= proven;

            var search = Search(request, joint, pools, current, fallback, started);
            var useFallback = search.Chosen is null || joint.Penalty(search.Chosen) + joint.Cost(search.Chosen) > fallbackValue + 1e-9;
            // Last, a replica that moved for no gain goes back where it runs now when there is room.
            var chosen = JointLocalSearch.Improve(joint, useFallback ? fallback : search.Chosen!, current, () => false, onlyBack: true);
            var objective = joint.Objective(chosen);
            var penalty = joint.Penalty(chosen);
            // A lower bound on the objective of any plan with these penalties: the LP's bound, or CP-SAT's on a pool the reduced
            // costs prove complete, less the plan's penalties.
            var fullBound = proven ? relaxation.Value : double.NegativeInfinity;
            if (complete && search.Chosen is not null)
            {
                // A better plan than the fallback uses pool pairs only, so the optimum is the fallback or above CP-SAT's bound.
                var searched = search.Bound / ObjectiveScaleFactor - (search.Chosen.Sum(c => c.Length) * 0.5 / ObjectiveScaleFactor);
                fullBound = Math.Max(fullBound, Math.Min(fallbackValue, searched));
            }

            var bound = Math.Clamp(fullBound - penalty, 0, objective);
            var gap = objective > 0 ? (objective - bound) / objective : 0;
            // Optimal up to what the integer model cannot see: the stay bonus and the rounding of its coefficients.
            var unseen = (JointModel.StayBonus * current.Sum(c => c.Length)) + (chosen.Sum(c => c.Length) * 0.5 / ObjectiveScaleFactor) + 1e-9;
            var status = objective - bound <= unseen ? "optimal" : useFallback && fallbackIsSequential ? "sequential" : "feasible";

            var models = new JointModelPlan[items.Count];
            int moves = 0, forced = 0;
            for (var m = 0; m < items.Count; m++)
            {
                models[m] = ModelPlan(items[m], problems[m], targets[m], chosen[m], current[m], fleet);
                forced += items[m].CurrentNodeIds.Distinct(StringComparer.Ordinal).Count() - current[m].Length;
                moves += current[m].Count(e => !chosen[m].Contains(e));
            }

            return new JointPlacementPlan(models, objective, bound, gap, status, joint.Objective(warm), moves, forced,
                pools.Sum(p => p.Length), Stopwatch.GetElapsedTime(started), joint.Objective(current));
        }
        finally
        {
            foreach (var problem in problems)
            {
                problem?.Dispose();
            }
        }
    }

    // The LP starts from each model's best few nodes per site (enough for its replicas and a little contention), the warm
    // start and the current replicas; pricing adds the rest that matter.
    private static void SeedPool(JointModel joint, JointRelaxation relaxation, int[][] current, int[][] warm)
    {
        for (var m = 0; m < joint.Problems.Length; m++)
        {
            var problem = joint.Problems[m];
            var perSite = joint.Targets[m].Count + 2;
            foreach (var group in joint.Hostable(m).GroupBy(e => joint.SiteOf(m, e)))
            {
                foreach (var e in group.OrderBy(e => joint.Cost(m, e)).Take(perSite))
                {
                    relaxation.Add(m, e);
                }
            }

            foreach (var e in current[m].Concat(warm[m]).Where(e => joint.Hostable(m).Contains(e)))
            {
                relaxation.Add(m, e);
            }
        }
    }

    // The integer search's pairs: the start plan's, then every pair by reduced cost, lowest first, while its reduced cost is
    // within the gap between the start plan and the bound (any other pair is in no plan better than the start) and the pool
    // is under its cap. Complete when the cap did not cut the window short.
    private static (int[][] Pools, bool Complete) Pools(JointModel joint, JointRelaxation relaxation, int[][] start, double window)
    {
        var ranked = new List<(double ReducedCost, int Model, int E)>();
        for (var m = 0; m < joint.Problems.Length; m++)
        {
            // Without duals (the relaxation failed) the LP's own pool is all there is to search beside the start.
            foreach (var e in relaxation.HasDuals ? joint.Hostable(m) : (IEnumerable<int>)relaxation.PoolOf(m))
            {
                var rc = relaxation.HasDuals ? relaxation.ReducedCost(m, e) : 0;
                if (rc <= window + 1e-7 || !relaxation.HasDuals)
                {
                    ranked.Add((rc, m, e));
                }
            }
        }

        var pools = start.Select(plan => new SortedSet<int>(plan)).ToArray();
        var total = pools.Sum(p => p.Count);
        var complete = true;
        foreach (var (_, m, e) in ranked.OrderBy(p => p.ReducedCost))
        {
            if (total >= MaxPoolPairs)
            {
                complete = false;
                break;
            }

            if (pools[m].Add(e))
            {
                total++;
            }
        }

        return (pools.Select(p => p.ToArray()).ToArray(), complete);
    }

    private static int Moves(int[][] current, int[][] plan) => current.Select((c, m) => c.Count(e => Array.BinarySearch(plan[m], e) < 0)).Sum();

    private readonly record struct SearchResult(int[][]? Chosen, double Bound);

    private static SearchResult Search(JointPlacementRequest request, JointModel joint, int[][] pools, int[][] current, int[][] warm, long started)
    {
        var model = new CpModel();
        var objective = LinearExpr.NewBuilder();
        var x = new BoolVar[pools.Length][];
        var byNode = new Dictionary<int, List<(BoolVar Var, int Gpus)>>();
        var siteWeight = (long)Math.Round(joint.SiteWeight * ObjectiveScaleFactor);
        var shortWeight = (long)Math.Round(joint.ShortWeight * ObjectiveScaleFactor);
        for (var m = 0; m < pools.Length; m++)
        {
            var problem = joint.Problems[m];
            var targets = joint.Targets[m];
            var pool = pools[m];
            x[m] = new BoolVar[pool.Length];
            var count = LinearExpr.NewBuilder();
            var sites = new Dictionary<int, LinearExprBuilder>();
            var cost = LinearExpr.NewBuilder();
            var warmSet = warm[m].ToHashSet();
            for (var i = 0; i < pool.Length; i++)
            {
                var e = pool[i];
                var node = problem.Node[e];
                var chosen = model.NewBoolVar(string.Empty);
                x[m][i] = chosen;
                count.Add(chosen);
                objective.AddTerm(chosen, (long)Math.Round(joint.Cost(m, e) * ObjectiveScaleFactor));
                cost.AddTerm(chosen, (long)Math.Ceiling(problem.CostUsdPerHour[e] * CostScaleFactor));
                var site = joint.SiteOf(m, e);
                if (!sites.TryGetValue(site, out var atSite))
                {
                    sites[site] = atSite = LinearExpr.NewBuilder();
                }

                atSite.Add(chosen);
                if (!byNode.TryGetValue(node, out var onNode))
                {
                    byNode[node] = onNode = [];
                }

                onNode.Add((chosen, problem.Gpus[e]));
                model.AddHint(chosen, warmSet.Contains(e) ? 1 : 0);
            }

            var shortfall = model.NewIntVar(0, joint.AllowsShortfall ? targets.Count : 0, string.Empty);
            model.Add(count + shortfall == targets.Count);
            objective.AddTerm(shortfall, shortWeight);
            if (targets.NewSites > 0)
            {
                var covered = LinearExpr.NewBuilder();
                foreach (var (_, atSite) in sites)
                {
                    var site = model.NewBoolVar(string.Empty);
                    model.Add(site <= atSite);
                    covered.Add(site);
                }

                var missing = model.NewIntVar(0, joint.AllowsShortfall ? targets.NewSites : 0, string.Empty);
                model.Add(covered + missing >= targets.NewSites);
                objective.AddTerm(missing, siteWeight);
            }

            if (targets.HasBudget)
            {
                model.Add(cost <= (long)Math.Floor(targets.BudgetLeftUsdPerHour * CostScaleFactor));
            }
        }

        foreach (var (node, onNode) in byNode)
        {
            if (onNode.Sum(t => t.Gpus) > joint.FreeGpus[node])
            {
                var used = LinearExpr.NewBuilder();
                foreach (var (chosen, gpus) in onNode)
                {
                    used.AddTerm(chosen, gpus);
                }

                model.Add(used <= joint.FreeGpus[node]);
            }
        }

        if (request.MaxMoves is { } maxMoves)
        {
            var staying = LinearExpr.NewBuilder();
            var stayable = 0;
            for (var m = 0; m < pools.Length; m++)
            {
                foreach (var e in current[m])
                {
                    var i = Array.BinarySearch(pools[m], e);
                    if (i >= 0)
                    {
                        staying.Add(x[m][i]);
                        stayable++;
                    }
                }
            }

            model.Add(staying >= stayable - maxMoves);
        }

        model.Minimize(objective);
        // A little of the limit is kept for writing the plan out.
        var left = request.TimeLimit - Stopwatch.GetElapsedTime(started) - TimeSpan.FromMilliseconds(150);
        var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{Math.Max(0.05, left.TotalSeconds):0.###} num_workers:8 random_seed:1"),
        };
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new SearchResult(null, double.NegativeInfinity);
        }

        var chosenByModel = new int[pools.Length][];
        for (var m = 0; m < pools.Length; m++)
        {
            chosenByModel[m] = pools[m].Where((_, i) => solver.BooleanValue(x[m][i])).ToArray();
        }

        return new SearchResult(chosenByModel, solver.BestObjectiveBound);
    }

    private static JointModelPlan ModelPlan(JointPlacementItem item, PlacementProblem problem, SelectionTargets targets, int[] chosen, int[] current, CandidateFleet fleet)
    {
        var ordered = chosen.OrderBy(e => problem.Objective[e]).ThenBy(e => fleet.NodeIds[problem.Node[e]], StringComparer.Ordinal).ToArray();
        var replicas = ordered.Select(e => new ReplicaChoice(problem.NodeIdOf(e), fleet.SiteIds[fleet.SiteOf[problem.Node[e]]],
            problem.CostUsdPerMTok[e], problem.JoulesPerToken[e], problem.GramsCo2PerToken[e], problem.CostUsdPerHour[e])).ToArray();
        var costPerHour = ordered.Sum(e => problem.CostUsdPerHour[e]);
        var tokensPerSecond = ordered.Sum(e => problem.TokensPerSecond[e]);
        var shortfall = new List<string>(targets.Binding);
        var sites = ordered.Select(e => fleet.SiteOf[problem.Node[e]]).Distinct().Count();
        if (ordered.Length < targets.Count)
        {
            shortfall.Add($"capacity: {targets.Count} replicas to place, the fleet's free GPUs left room for {ordered.Length} beside the other models");
        }
        else if (sites < targets.NewSites)
        {
            shortfall.Add($"minSites: {targets.NewSites} sites to span, the fleet's free GPUs left room in {sites} beside the other models");
        }

        var currentNodes = current.Select(problem.NodeIdOf).ToHashSet(StringComparer.Ordinal);
        var chosenNodes = ordered.Select(problem.NodeIdOf).ToArray();
        return new JointModelPlan(
            item.Key,
            replicas,
            shortfall.Count == 0,
            shortfall,
            chosenNodes.Where(currentNodes.Contains).ToArray(),
            chosenNodes.Where(n => !currentNodes.Contains(n)).ToArray(),
            item.CurrentNodeIds.Distinct(StringComparer.Ordinal).Where(n => !chosenNodes.Contains(n, StringComparer.Ordinal)).ToArray(),
            costPerHour,
            tokensPerSecond > 0 ? TokenEconomics.CostUsdPerMillionTokens(costPerHour, tokensPerSecond) : 0,
            tokensPerSecond > 0 ? ordered.Sum(e => problem.JoulesPerToken[e] * problem.TokensPerSecond[e]) / tokensPerSecond : 0,
            tokensPerSecond > 0 ? ordered.Sum(e => problem.GramsCo2PerToken[e] * problem.TokensPerSecond[e]) / tokensPerSecond : 0,
            ordered.Sum(e => problem.Objective[e]));
    }

    private static int[] Positions(CandidateFleet fleet, Dictionary<int, int> positionOf, IEnumerable<string> nodeIds)
    {
        var positions = new SortedSet<int>();
        foreach (var id in nodeIds)
        {
            if (fleet.TryFindNode(id, out var node) && positionOf.TryGetValue(node, out var e))
            {
                positions.Add(e);
            }
        }

        return [.. positions];
    }

    // The candidates' facts show the models' own replicas reserving GPUs; a re-plan may reuse them, so they count as free.
    private static PlacementCandidate[] WithCurrentReplicasFreed(JointPlacementRequest request)
    {
        var freed = new Dictionary<string, double>(StringComparer.Ordinal);
        var byId = request.Candidates.ToDictionary(c => c.Node.NodeId, StringComparer.Ordinal);
        foreach (var item in request.Items)
        {
            foreach (var nodeId in item.CurrentNodeIds.Distinct(StringComparer.Ordinal))
            {
                if (byId.TryGetValue(nodeId, out var candidate))
                {
                    var inventory = candidate.Node.Inventory;
                    var gpus = TokenEconomics.GpusPerReplica(item.Model.GpuMemoryGiB, inventory.GpuMemoryGiB);
                    freed[nodeId] = freed.GetValueOrDefault(nodeId) + (gpus * inventory.GpuMemoryGiB);
                }
            }
        }

        return request.Candidates.Select(c => freed.TryGetValue(c.Node.NodeId, out var gib)
            ? c with { Node = c.Node with { FreeGpuMemoryGiB = Math.Min(c.Node.Inventory.GpuCount * c.Node.Inventory.GpuMemoryGiB, c.Node.FreeGpuMemoryGiB + gib) } }
            : c).ToArray();
    }

    private static void ThrowIfInvalid(JointPlacementRequest request)
    {
        var errors = new ValidationErrors();
        errors.AddIf(request.TimeLimit <= TimeSpan.Zero || request.TimeLimit > TimeSpan.FromMinutes(5), "timeLimit", "Must be more than 0 and at most 5 minutes.");
        errors.AddIf(request.MaxMoves is < 0, "maxMoves", "Must not be negative.");
        errors.AddIf(request.Items.Select(i => i.Key).Distinct(StringComparer.Ordinal).Count() != request.Items.Count, "items", "Each model may appear once.");
        errors.AddIf(request.Candidates.Select(c => c.Node.NodeId).Distinct(StringComparer.Ordinal).Count() != request.Candidates.Count, "candidates", "Each node may appear once.");
        foreach (var item in request.Items)
        {
            item.Model.Validate(errors);
            item.Policy.Validate(errors);
        }

        if (!errors.IsValid)
        {
            throw new ArgumentException("The joint placement request is invalid. " + string.Join("; ", errors.ToDictionary().Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
        }
    }
}
