using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// Places a model's replicas: pure and deterministic (same request, same decision; ties go to the lower node id), no I/O.
/// <para>
/// First every candidate is screened against the hard constraints (sovereignty, TEE kind, trust and freshness, liveness, capacity,
/// GPU model); the eligible ones are scored on the tenant's normalized objective. Without a budget the rest is a matroid problem
/// that greedy solves exactly in O(n log replicas) (<see cref="SpreadGreedy"/>), so it is exact at any fleet size; with a budget
/// that the best set fits, the same holds. Only when the budget binds does the problem become hard (a cardinality-constrained
/// knapsack with spread): candidates that can never be needed are pruned (<see cref="DominancePruning"/>), the heuristic runs
/// (<see cref="BudgetHeuristic"/>), and when the pool is at most <see cref="PlacementSolverOptions.ExactMaxCandidates"/> a branch
/// and bound seeded with the heuristic's answer proves the optimum (<see cref="BranchAndBound"/>).
/// </para>
/// Thread-safe: it holds only its options.
/// </summary>
/// <param name="options">Exact-search limits; the defaults when null.</param>
public sealed class PlacementSolver(PlacementSolverOptions? options = null)
{
    /// <summary>The limits this solver applies.</summary>
    public PlacementSolverOptions Options { get; } = options ?? new PlacementSolverOptions();

    /// <summary>Places one model; throws <see cref="ArgumentException"/> for an invalid model or policy, or a node id listed twice.</summary>
    public PlacementDecision Solve(PlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfInvalid(request.Model, request.Policy);
        var fleet = CandidateFleet.Compile(request.Candidates);
        return SolveOn(fleet, request.Model, request.Policy, request.KeptNodeIds, request.Now, request.MinRemainingFreshness);
    }

    /// <summary>
    /// Places the batch's models one after another on a shared fleet, each new replica reserving its whole GPUs (the memory of
    /// <c>g</c> GPUs, as its cost assumes) before the next model is placed. The candidates themselves are not changed.
    /// </summary>
    public IReadOnlyList<PlacementDecision> SolveBatch(PlacementBatchRequest batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var item in batch.Items)
        {
            ThrowIfInvalid(item.Model, item.Policy);
        }

        var fleet = CandidateFleet.Compile(batch.Candidates);
        var decisions = new List<PlacementDecision>(batch.Items.Count);
        foreach (var item in batch.Items)
        {
            decisions.Add(SolveOn(fleet, item.Model, item.Policy, item.KeptNodeIds, batch.Now, batch.MinRemainingFreshness, reserve: true));
        }

        return decisions;
    }

    /// <summary>The eligible candidates of <paramref name="request"/>, best objective first (ties by node id), as the solver scores them.</summary>
    public static IReadOnlyList<RankedCandidate> Rank(PlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfInvalid(request.Model, request.Policy);
        var fleet = CandidateFleet.Compile(request.Candidates);
        using var problem = HardConstraints.Screen(fleet, request.Model, request.Policy, request.KeptNodeIds, request.Now, request.MinRemainingFreshness);
        ObjectiveScale.Apply(problem, request.Policy.Weights);
        var ranked = new RankedCandidate[problem.EligibleCount];
        var order = new ByKeyThenNodeId(problem.Objective, problem);
        var eligible = Enumerable.Range(0, problem.EligibleCount).ToArray();
        Array.Sort(eligible, (a, b) => order.Compare(a, b));
        for (var i = 0; i < eligible.Length; i++)
        {
            var e = eligible[i];
            var node = problem.Node[e];
            var economics = new ReplicaEconomics(problem.Gpus[e], TokenEconomics.NodeFraction(problem.Gpus[e], fleet.GpuCount[node]),
                problem.TokensPerSecond[e], problem.CostUsdPerHour[e], problem.CostUsdPerMTok[e], problem.JoulesPerToken[e], problem.GramsCo2PerToken[e]);
            ranked[i] = new RankedCandidate(fleet.NodeIds[node], fleet.SiteIds[fleet.SiteOf[node]], economics, problem.Objective[e]);
        }

        return ranked;
    }

    private PlacementDecision SolveOn(CandidateFleet fleet, ModelSpec model, TenantPolicy policy, IReadOnlyList<string> kept,
        DateTimeOffset now, TimeSpan minRemainingFreshness, bool reserve = false)
    {
        using var problem = HardConstraints.Screen(fleet, model, policy, kept, now, minRemainingFreshness);
        ObjectiveScale.Apply(problem, policy.Weights);
        var targets = SelectionTargets.Compute(problem);
        var (chosen, bestByObjective, bestWithSpread, mode) = Choose(problem, targets);
        var decision = DecisionBuilder.Build(problem, targets, chosen, bestByObjective, bestWithSpread, mode);
        if (reserve)
        {
            foreach (var e in chosen)
            {
                var node = problem.Node[e];
                fleet.Reserve(node, problem.Gpus[e] * fleet.GpuMemoryGiB[node]);
            }
        }

        return decision;
    }

    private (int[] Chosen, int[]? BestByObjective, int[] BestWithSpread, string Mode) Choose(PlacementProblem problem, SelectionTargets targets)
    {
        if (targets.Count == 0)
        {
            return ([], null, [], PlacementModes.Exact);
        }

        var byObjective = new ByKeyThenNodeId(problem.Objective, problem);
        var bestWithSpread = SpreadGreedy.Select(problem.EligibleCount, problem.Color, problem.ColorCount, targets.Count, targets.NewSites, byObjective);
        var bestByObjective = targets.NewSites > 0 ? SpreadGreedy.Best(problem.EligibleCount, targets.Count, byObjective) : null;
        if (!targets.HasBudget || CostOf(problem, bestWithSpread) <= targets.BudgetLeftUsdPerHour)
        {
            return (bestWithSpread, bestByObjective, bestWithSpread, PlacementModes.Exact);
        }

        var pool = DominancePruning.Reduce(problem, targets.Count, targets.NewSites);
        var (best, rate) = BudgetHeuristic.Solve(pool, targets.Count, targets.NewSites, targets.BudgetLeftUsdPerHour);
        var mode = PlacementModes.Heuristic;
        if (pool.Count <= Options.ExactMaxCandidates)
        {
            var (proven, finished) = BranchAndBound.Solve(pool, targets.Count, targets.NewSites, targets.BudgetLeftUsdPerHour, rate, Options.ExactSearchNodeLimit, best);
            if (finished)
            {
                (best, mode) = (proven, PlacementModes.Exact);
            }
        }

        return (best.Positions.Select(position => pool.Eligible[position]).ToArray(), bestByObjective, bestWithSpread, mode);
    }

    private static double CostOf(PlacementProblem problem, int[] chosen)
    {
        var cost = 0.0;
        foreach (var e in chosen)
        {
            cost += problem.CostUsdPerHour[e];
        }

        return cost;
    }

    private static void ThrowIfInvalid(ModelSpec model, TenantPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new ValidationErrors();
        model.Validate(errors);
        policy.Validate(errors);
        if (!errors.IsValid)
        {
            var messages = errors.ToDictionary().Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}");
            throw new ArgumentException("The placement request is invalid. " + string.Join("; ", messages));
        }
    }
}
