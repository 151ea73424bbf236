namespace FactoryMesh.Core.Placement;

/// <summary>
/// The fast search for a budgeted placement: the answer for pools too large to prove optimal, and the incumbent that the exact
/// search starts from otherwise. Several starting sets, each then improved by <see cref="SwapLocalSearch"/>, the best kept:
/// <list type="bullet">
/// <item>Lagrangian: price cost into the objective at a rate λ (key = objective + λ × cost), for which
/// <see cref="SpreadGreedy"/> is exact, and bisect on λ for the smallest rate whose set fits the budget; the best few fitting
/// sets seen are starts. The rate found also gives <see cref="BranchAndBound"/> its bound.</item>
/// <item>Cheapest: the least-cost set, which fits whenever anything of this size fits.</item>
/// <item>Plain greedy (<see cref="SpreadGreedy.FirstFit"/>): kept as it is too, so the result is never worse than greedy.</item>
/// </list>
/// Each λ step costs O(pool × log count); local search is bounded by a work limit.
/// </summary>
internal static class BudgetHeuristic
{
    private const int RateSteps = 28;
    private const long LocalSearchWork = 250_000;
    private const int PricedStarts = 4;

    /// <summary>The best selection found and the Lagrangian rate (objective per USD/h) that fits the budget.</summary>
    public static (PoolSelection Best, double Rate) Solve(CandidatePool pool, int count, int sites, double budget)
    {
        var walk = new int[pool.Count];
        for (var i = 0; i < walk.Length; i++)
        {
            walk[i] = i;
        }

        var greedy = PoolSelection.Of(pool, SpreadGreedy.FirstFit(walk, pool.Color, pool.Cost, pool.ColorCount, count, sites, budget));
        var cheapest = PoolSelection.Of(pool, SpreadGreedy.Select(pool.Count, pool.Color, pool.ColorCount, count, sites, new ByKeyThenPosition(pool.Cost)));
        var (priced, rate) = PricedSelections(pool, count, sites, budget);

        var best = greedy;
        foreach (var start in priced.Prepend(cheapest).Prepend(greedy))
        {
            if (start.Positions.Length < count || start.Cost > budget)
            {
                continue;
            }

            var improved = SwapLocalSearch.Improve(pool, start, sites, budget, LocalSearchWork);
            if (improved.IsBetterThan(best))
            {
                best = improved;
            }
        }

        return (best, rate);
    }

    // The fitting sets met while bisecting on the rate, best first, at most PricedStarts of them: local search from several
    // nearby sets escapes the dead ends that a single start can get stuck in, at a few swaps' cost each.
    private static (List<PoolSelection> Fitting, double Rate) PricedSelections(CandidatePool pool, int count, int sites, double budget)
    {
        var (totalObjective, totalCost) = (0.0, 0.0);
        for (var i = 0; i < pool.Count; i++)
        {
            totalObjective += pool.Objective[i];
            totalCost += pool.Cost[i];
        }

        var fitting = new List<PoolSelection>();
        if (!(totalCost > 0))
        {
            return (fitting, 0);
        }

        var keys = new double[pool.Count];
        PoolSelection At(double rate)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = pool.Objective[i] + rate * pool.Cost[i];
            }

            return PoolSelection.Of(pool, SpreadGreedy.Select(pool.Count, pool.Color, pool.ColorCount, count, sites, new ByKeyThenPosition(keys)));
        }

        void Keep(PoolSelection selection)
        {
            if (!fitting.Any(seen => seen.Positions.AsSpan().SequenceEqual(selection.Positions)))
            {
                fitting.Add(selection);
            }
        }

        // Start where a unit of cost weighs like an average unit of objective, and raise the rate until the set fits.
        var high = totalObjective / totalCost;
        var atHigh = At(high);
        for (var step = 0; step < 60 && atHigh.Cost > budget; step++)
        {
            high *= 4;
            atHigh = At(high);
        }

        if (atHigh.Cost > budget)
        {
            return (fitting, high);
        }

        Keep(atHigh);
        var low = 0.0;
        for (var step = 0; step < RateSteps; step++)
        {
            var middle = (low + high) / 2;
            var selection = At(middle);
            if (selection.Cost <= budget)
            {
                high = middle;
                Keep(selection);
            }
            else
            {
                low = middle;
            }
        }

        fitting.Sort((a, b) => a.IsBetterThan(b) ? -1 : b.IsBetterThan(a) ? 1 : 0);
        return (fitting.Take(PricedStarts).ToList(), high);
    }
}
