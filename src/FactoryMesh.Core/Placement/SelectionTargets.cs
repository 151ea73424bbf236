using System.Globalization;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// What the search must achieve for one request, after kept replicas and the fleet are taken into account, and which constraints
/// cut the request down when it cannot be met in full. The cut is lexicographic, so that a placement never leaves a model with
/// fewer replicas than it could have: first as many new replicas as there are eligible nodes and budget for, then as many new
/// sites as the budget allows at that count; the objective is optimized last, within both.
/// </summary>
/// <param name="Requested">New replicas the request asks for: replicas less kept ones.</param>
/// <param name="Count">New replicas to place.</param>
/// <param name="RequiredNewSites">Sites beyond the kept replicas' that the request's spread asks for.</param>
/// <param name="NewSites">Sites beyond the kept replicas' that the new replicas must cover.</param>
/// <param name="BudgetLeftUsdPerHour">Budget left after the kept replicas, USD per hour; infinite without a budget.</param>
/// <param name="BudgetCutCount">True when the budget, not the fleet, limited <see cref="Count"/>.</param>
/// <param name="Binding">The constraints that cut the request, in words; empty when it is met in full.</param>
internal sealed record SelectionTargets(
    int Requested, int Count, int RequiredNewSites, int NewSites, double BudgetLeftUsdPerHour, bool BudgetCutCount, IReadOnlyList<string> Binding)
{
    /// <summary>True when the request can be met in full.</summary>
    public bool Feasible => Binding.Count == 0;

    /// <summary>True when the tenant has a budget.</summary>
    public bool HasBudget => !double.IsPositiveInfinity(BudgetLeftUsdPerHour);

    /// <summary>Works out the targets for a screened <paramref name="problem"/>.</summary>
    public static SelectionTargets Compute(PlacementProblem problem)
    {
        var model = problem.Model;
        var budget = problem.Policy.BudgetUsdPerHour;
        var binding = new List<string>();
        var requested = Math.Max(0, model.Replicas - problem.KeptCount);
        var requiredSites = Math.Max(0, model.MinSites - problem.KeptSiteCount);
        // Costs summed in different orders differ in the last bits; a hair of slack keeps a set that fits on paper from being
        // refused for rounding (and the tests allow the same hair).
        var budgetLeft = budget is { } total ? total - problem.KeptCostUsdPerHour + RoundingSlackUsdPerHour(total) : double.PositiveInfinity;
        var eligible = problem.EligibleCount;

        var count = Math.Min(requested, eligible);
        if (count < requested)
        {
            binding.Add(Say($"replicas: {model.Replicas} requested, {problem.KeptCount} kept, {requested} to place, but only {eligible} candidates pass the hard constraints ({ExclusionSummary(problem)})"));
        }

        if (requested < requiredSites)
        {
            binding.Add(Say($"minSites: {model.MinSites} sites required; the kept replicas cover {problem.KeptSiteCount} and only {requested} replicas remain to place"));
        }
        else if (problem.AvailableColorCount < requiredSites && eligible > 0)
        {
            binding.Add(Say($"minSites: {model.MinSites} sites required; the kept replicas cover {problem.KeptSiteCount} and eligible candidates stand in only {problem.AvailableColorCount} other sites"));
        }

        var sites = Math.Min(Math.Min(requiredSites, problem.AvailableColorCount), count);
        var budgetCutCount = false;
        if (budget is { } over && budgetLeft < 0)
        {
            // Kept replicas stay whatever they cost: the solver places, it does not evict. Nothing new fits; say why.
            binding.Add(Say($"budget: the {problem.KeptCount} kept replicas alone cost {problem.KeptCostUsdPerHour:0.####} USD/h, over the budget of {over:0.####} USD/h"));
            budgetCutCount = count > 0;
            count = 0;
            sites = 0;
        }
        else if (budget is { } limit && count > 0)
        {
            var affordable = AffordableCount(problem, count, budgetLeft);
            if (affordable < count)
            {
                budgetCutCount = true;
                binding.Add(Say($"budget: {count} new replicas cost at least {MinimumCost(problem, count, 0):0.####} USD/h on top of {problem.KeptCostUsdPerHour:0.####} USD/h kept; the budget is {limit:0.####} USD/h, enough for {affordable}"));
                count = affordable;
                sites = Math.Min(sites, count);
            }

            var affordableSites = AffordableSites(problem, count, sites, budgetLeft);
            if (affordableSites < sites)
            {
                binding.Add(Say($"budget: spanning {model.MinSites} sites costs at least {MinimumCost(problem, count, sites):0.####} USD/h on top of {problem.KeptCostUsdPerHour:0.####} USD/h kept; the budget is {limit:0.####} USD/h"));
                sites = affordableSites;
            }
        }

        return new SelectionTargets(requested, count, requiredSites, sites, budgetLeft, budgetCutCount, binding);
    }

    /// <summary>The rounding allowance on a budget of <paramref name="budgetUsdPerHour"/>: one part in a billion.</summary>
    public static double RoundingSlackUsdPerHour(double budgetUsdPerHour) => 1e-9 * Math.Max(1, Math.Abs(budgetUsdPerHour));

    /// <summary>The least a set of <paramref name="count"/> new replicas over at least <paramref name="sites"/> new sites can cost, USD/h.</summary>
    public static double MinimumCost(PlacementProblem problem, int count, int sites)
    {
        var cheapest = SpreadGreedy.Select(problem.EligibleCount, problem.Color, problem.ColorCount, count, sites,
            new ByKeyThenNodeId(problem.CostUsdPerHour, problem));
        var total = 0.0;
        foreach (var item in cheapest)
        {
            total += problem.CostUsdPerHour[item];
        }

        return total;
    }

    // The most replicas the budget pays for: the cheapest ones, as many as fit.
    private static int AffordableCount(PlacementProblem problem, int count, double budgetLeft)
    {
        var cheapest = SpreadGreedy.Best(problem.EligibleCount, count, new ByKeyThenNodeId(problem.CostUsdPerHour, problem));
        var spent = 0.0;
        for (var i = 0; i < cheapest.Length; i++)
        {
            spent += problem.CostUsdPerHour[cheapest[i]];
            if (spent > budgetLeft)
            {
                return i;
            }
        }

        return cheapest.Length;
    }

    // The most new sites the budget pays for at this count. The least cost of covering k sites never falls as k grows, so
    // bisect; zero sites is affordable because the count already is.
    private static int AffordableSites(PlacementProblem problem, int count, int sites, double budgetLeft)
    {
        if (sites == 0 || MinimumCost(problem, count, sites) <= budgetLeft)
        {
            return sites;
        }

        var (affordable, unaffordable) = (0, sites);
        while (unaffordable - affordable > 1)
        {
            var middle = (affordable + unaffordable) / 2;
            if (MinimumCost(problem, count, middle) <= budgetLeft)
            {
                affordable = middle;
            }
            else
            {
                unaffordable = middle;
            }
        }

        return affordable;
    }

    private static string ExclusionSummary(PlacementProblem problem)
    {
        var parts = new List<string>();
        for (var reason = 0; reason < problem.ExcludedBy.Length; reason++)
        {
            if (problem.ExcludedBy[reason] > 0)
            {
                parts.Add(Say($"{(ExclusionReason)reason} {problem.ExcludedBy[reason]}"));
            }
        }

        return parts.Count == 0 ? "no candidate excluded" : "excluded: " + string.Join(", ", parts);
    }

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
