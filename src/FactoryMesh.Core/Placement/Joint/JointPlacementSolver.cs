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
/// The search is warm-started from the sequential greedy plan (the batch solver on the same fleet) and never answers worse
/// than it; the plan carries CP-SAT's proven lower bound. Pairs no optimal plan needs are pruned first (<see cref="JointPoolPruning"/>).
/// </summary>
/// <param name="options">The single-model solver's limits, used for the warm start.</param>
public sealed class JointPlacementSolver(PlacementSolverOptions? options = null)
{
    /// <summary>Objective units per 1.0 of a replica's normalized objective in the integer model: rounding costs at most 5e-6 per replica.</summary>
    private const double ObjectiveScaleFactor = 100_000;

    /// <summary>Budget units per USD/h in the integer model.</summary>
    private const double CostScaleFactor = 1_000_000;

    // A node's free memory is a sum of whole-GPU reservations, so the quotient is integral on paper; rounding must not lose a GPU.
    private const double WholeGpuTolerance = 1e-9;

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

            var freeGpus = new int[fleet.Count];
            for (var n = 0; n < fleet.Count; n++)
            {
                freeGpus[n] = (int)Math.Floor(fleet.FreeGpuMemoryGiB[n] / fleet.GpuMemoryGiB[n] + WholeGpuTolerance);
            }

            var current = items.Select((item, m) => Positions(fleet, positionOf[m], item.CurrentNodeIds)).ToArray();
            var warm = sequential.Select((decision, m) => Positions(fleet, positionOf[m], decision.Replicas.Select(r => r.NodeId))).ToArray();
            var alwaysKeep = items.Select((_, m) => new HashSet<int>(current[m].Concat(warm[m]))).ToArray();
            var pools = JointPoolPruning.Reduce(problems, targets.Select(t => t.Count).ToArray(), freeGpus,
                (m, e) => problems[m].Gpus[e] <= freeGpus[problems[m].Node[e]], alwaysKeep);

            var search = Search(request, problems, targets, pools, freeGpus, current, warm, started);
            // The fallback when the search finds nothing better: the sequential plan, or when that moves more replicas than allowed,
            // every current replica where it stands.
            var fallback = request.MaxMoves is { } allowed && current.Select((c, m) => c.Count(e => !warm[m].Contains(e))).Sum() > allowed ? current : warm;
            var useFallback = search.Chosen is null
                || Shortfall(problems, targets, search.Chosen) > Shortfall(problems, targets, fallback)
                || (Shortfall(problems, targets, search.Chosen) == Shortfall(problems, targets, fallback) && Sum(problems, search.Chosen) > Sum(problems, fallback) + 1e-9);
            var chosen = useFallback ? fallback : search.Chosen!;
            var status = useFallback ? "sequential" : search.Optimal ? "optimal" : "feasible";
            var objective = Sum(problems, chosen);
            var penalty = Penalty(problems, targets, chosen, search.SiteWeight, search.ShortWeight);
            var bound = Math.Min(objective, Math.Max(0, (search.Bound - penalty) / ObjectiveScaleFactor));
            if (status == "optimal")
            {
                bound = Math.Min(objective, Math.Max(bound, objective - (chosen.Sum(c => c.Length) * 0.5 / ObjectiveScaleFactor)));
            }

            var models = new JointModelPlan[items.Count];
            int moves = 0, forced = 0;
            for (var m = 0; m < items.Count; m++)
            {
                models[m] = ModelPlan(items[m], problems[m], targets[m], chosen[m], current[m], fleet);
                forced += items[m].CurrentNodeIds.Distinct(StringComparer.Ordinal).Count() - current[m].Length;
                moves += current[m].Count(e => !chosen[m].Contains(e));
            }

            return new JointPlacementPlan(models, objective, bound, objective > 0 ? (objective - bound) / objective : 0, status,
                Sum(problems, warm), moves, forced, pools.Sum(p => p.Length), Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            foreach (var problem in problems)
            {
                problem?.Dispose();
            }
        }
    }

    private readonly record struct SearchResult(int[][]? Chosen, bool Optimal, double Bound, long SiteWeight, long ShortWeight);

    private static SearchResult Search(JointPlacementRequest request, PlacementProblem[] problems, SelectionTargets[] targets, int[][] pools,
        int[] freeGpus, int[][] current, int[][] warm, long started)
    {
        var model = new CpModel();
        var objective = LinearExpr.NewBuilder();
        var x = new BoolVar[pools.Length][];
        var byNode = new Dictionary<int, List<(BoolVar Var, int Gpus)>>();
        long largestModelObjective = 1;
        var coefficients = new long[pools.Length][];
        for (var m = 0; m < pools.Length; m++)
        {
            var problem = problems[m];
            coefficients[m] = pools[m].Select(e => (long)Math.Round(problem.Objective[e] * ObjectiveScaleFactor)).ToArray();
            var top = coefficients[m].OrderDescending().Take(Math.Max(0, targets[m].Count)).Sum();
            largestModelObjective += top;
        }

        // Lexicographic: one missing site outweighs any objective, one missing replica outweighs every site.
        var siteWeight = largestModelObjective + 1;
        var shortWeight = siteWeight * (targets.Sum(t => (long)t.NewSites) + 1);
        for (var m = 0; m < pools.Length; m++)
        {
            var problem = problems[m];
            var pool = pools[m];
            x[m] = new BoolVar[pool.Length];
            var count = LinearExpr.NewBuilder();
            var sites = new Dictionary<int, LinearExprBuilder>();
            var cost = LinearExpr.NewBuilder();
            for (var i = 0; i < pool.Length; i++)
            {
                var e = pool[i];
                var node = problem.Node[e];
                var chosen = model.NewBoolVar(string.Empty);
                x[m][i] = chosen;
                count.Add(chosen);
                objective.AddTerm(chosen, coefficients[m][i]);
                cost.AddTerm(chosen, (long)Math.Ceiling(problem.CostUsdPerHour[e] * CostScaleFactor));
                var site = problem.Fleet.SiteOf[node];
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
                model.AddHint(chosen, warm[m].Contains(e) ? 1 : 0);
            }

            var wanted = targets[m].Count;
            model.Add(count <= wanted);
            var shortfall = model.NewIntVar(0, wanted, string.Empty);
            model.Add(count + shortfall == wanted);
            objective.AddTerm(shortfall, shortWeight);

            if (targets[m].NewSites > 0)
            {
                var covered = LinearExpr.NewBuilder();
                foreach (var (_, atSite) in sites)
                {
                    var site = model.NewBoolVar(string.Empty);
                    model.Add(site <= atSite);
                    covered.Add(site);
                }

                var missing = model.NewIntVar(0, targets[m].NewSites, string.Empty);
                model.Add(covered + missing >= targets[m].NewSites);
                objective.AddTerm(missing, siteWeight);
            }

            if (targets[m].HasBudget)
            {
                model.Add(cost <= (long)Math.Floor(targets[m].BudgetLeftUsdPerHour * CostScaleFactor));
            }
        }

        foreach (var (node, onNode) in byNode)
        {
            if (onNode.Sum(t => t.Gpus) > freeGpus[node])
            {
                var used = LinearExpr.NewBuilder();
                foreach (var (chosen, gpus) in onNode)
                {
                    used.AddTerm(chosen, gpus);
                }

                model.Add(used <= freeGpus[node]);
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
        var left = request.TimeLimit - Stopwatch.GetElapsedTime(started);
        var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{Math.Max(0.05, left.TotalSeconds):0.###} num_workers:{Math.Clamp(Environment.ProcessorCount, 1, 8)} random_seed:1"),
        };
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new SearchResult(null, false, 0, siteWeight, shortWeight);
        }

        var chosenByModel = new int[pools.Length][];
        for (var m = 0; m < pools.Length; m++)
        {
            chosenByModel[m] = pools[m].Where((_, i) => solver.BooleanValue(x[m][i])).ToArray();
        }

        return new SearchResult(chosenByModel, status == CpSolverStatus.Optimal, solver.BestObjectiveBound, siteWeight, shortWeight);
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

    private static double Sum(PlacementProblem[] problems, int[][] chosen)
    {
        var sum = 0.0;
        for (var m = 0; m < problems.Length; m++)
        {
            foreach (var e in chosen[m])
            {
                sum += problems[m].Objective[e];
            }
        }

        return sum;
    }

    private static long Shortfall(PlacementProblem[] problems, SelectionTargets[] targets, int[][] chosen)
    {
        long replicas = 0, sites = 0;
        for (var m = 0; m < problems.Length; m++)
        {
            replicas += Math.Max(0, targets[m].Count - chosen[m].Length);
            sites += Math.Max(0, targets[m].NewSites - chosen[m].Select(e => problems[m].Fleet.SiteOf[problems[m].Node[e]]).Distinct().Count());
        }

        // Replicas first, then sites: the same order the integer model weighs them in.
        return (replicas * 1_000_000) + sites;
    }

    private static double Penalty(PlacementProblem[] problems, SelectionTargets[] targets, int[][] chosen, long siteWeight, long shortWeight)
    {
        var penalty = 0.0;
        for (var m = 0; m < problems.Length; m++)
        {
            penalty += (double)Math.Max(0, targets[m].Count - chosen[m].Length) * shortWeight;
            penalty += (double)Math.Max(0, targets[m].NewSites - chosen[m].Select(e => problems[m].Fleet.SiteOf[problems[m].Node[e]]).Distinct().Count()) * siteWeight;
        }

        return penalty;
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
