using System.Globalization;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// Turns a chosen set into a <see cref="PlacementDecision"/>: the new replicas with their economics, and an exclusion for every
/// other candidate, in candidate order. A node that failed a hard constraint carries that; an eligible node left out is told
/// apart by comparing the final set with the ones the search passed through:
/// <list type="bullet">
/// <item><see cref="ExclusionReason.Budget"/>: its replica alone costs more than the budget left; or the budget cut the count
/// (then adding any node would break it); or it belongs to the best set by objective, which the budget could not pay for;</item>
/// <item><see cref="ExclusionReason.Spread"/>: it is among the best by objective alone, but the set had to reach more sites;</item>
/// <item><see cref="ExclusionReason.Outranked"/>: the chosen nodes simply scored better.</item>
/// </list>
/// Details that do not depend on the node are one interned string, and a node excluded again for the same reason in the same
/// words shares its earlier record (see <see cref="CandidateFleet.Exclude"/>), so explaining 10,000 exclusions per model
/// of a batch costs little more than the list that holds them.
/// </summary>
internal static class DecisionBuilder
{
    /// <summary>The decision for <paramref name="chosen"/> (eligible indices) of <paramref name="problem"/>.</summary>
    /// <param name="problem">The screened request.</param>
    /// <param name="targets">What the search had to achieve.</param>
    /// <param name="chosen">Eligible indices of the new replicas.</param>
    /// <param name="bestByObjective">The best set ignoring budget and spread, or null when not computed (no spread asked).</param>
    /// <param name="bestWithSpread">The best set with spread, ignoring budget.</param>
    /// <param name="mode">How the set was found.</param>
    public static PlacementDecision Build(PlacementProblem problem, SelectionTargets targets, int[] chosen, int[]? bestByObjective, int[] bestWithSpread, string mode)
    {
        var order = new ByKeyThenNodeId(problem.Objective, problem);
        var inOrder = (int[])chosen.Clone();
        Array.Sort(inOrder, (a, b) => order.Compare(a, b));

        var fleet = problem.Fleet;
        var replicas = new List<ReplicaChoice>(inOrder.Length);
        var total = problem.KeptCostUsdPerHour;
        var objective = 0.0;
        foreach (var e in inOrder)
        {
            var node = problem.Node[e];
            replicas.Add(new ReplicaChoice(fleet.NodeIds[node], fleet.SiteIds[fleet.SiteOf[node]], problem.CostUsdPerMTok[e],
                problem.JoulesPerToken[e], problem.GramsCo2PerToken[e], problem.CostUsdPerHour[e]));
            total += problem.CostUsdPerHour[e];
            objective += problem.Objective[e];
        }

        var membership = new byte[problem.EligibleCount];
        Mark(membership, bestByObjective, InBestByObjective);
        Mark(membership, bestWithSpread, InBestWithSpread);
        Mark(membership, chosen, Chosen);
        var reasons = new Explanations(problem, targets, bestWithSpread);

        var excluded = new List<NodeExclusion>(fleet.Count - chosen.Length);
        var eligible = 0;
        for (var i = 0; i < fleet.Count; i++)
        {
            var verdict = problem.Verdict[i];
            if (verdict == PlacementProblem.Kept)
            {
                continue;
            }

            if (verdict != PlacementProblem.Eligible)
            {
                excluded.Add(fleet.Exclude(i, (ExclusionReason)verdict, problem.Detail[i]!));
                continue;
            }

            var e = eligible++;
            if ((membership[e] & Chosen) == 0)
            {
                var (reason, detail) = reasons.For(e, membership[e]);
                excluded.Add(fleet.Exclude(i, reason, detail));
            }
        }

        return new PlacementDecision(targets.Feasible, replicas, total, excluded, targets.Binding, mode, objective);
    }

    private const byte Chosen = 1;
    private const byte InBestByObjective = 2;
    private const byte InBestWithSpread = 4;

    private static void Mark(byte[] membership, int[]? set, byte flag)
    {
        if (set is null)
        {
            return;
        }

        foreach (var e in set)
        {
            membership[e] |= flag;
        }
    }

    private sealed class Explanations(PlacementProblem problem, SelectionTargets targets, int[] bestWithSpread)
    {
        private string? _budgetCut;
        private string? _unaffordableBest;
        private string? _spread;
        private string? _outranked;

        public (ExclusionReason Reason, string Detail) For(int e, byte membership)
        {
            var cost = problem.CostUsdPerHour[e];
            if (targets.HasBudget && cost > targets.BudgetLeftUsdPerHour)
            {
                return (ExclusionReason.Budget, Say($"its replica costs {cost:0.####} USD/h; {Math.Max(0, targets.BudgetLeftUsdPerHour):0.####} USD/h of the budget is left after kept replicas"));
            }

            if (targets.BudgetCutCount)
            {
                return (ExclusionReason.Budget, _budgetCut ??= problem.Fleet.Intern(Say($"the budget pays for only {targets.Count} of the {targets.Requested} new replicas; one more would exceed it")));
            }

            if ((membership & InBestWithSpread) != 0)
            {
                return (ExclusionReason.Budget, _unaffordableBest ??= UnaffordableBest());
            }

            if ((membership & InBestByObjective) != 0)
            {
                return (ExclusionReason.Spread, _spread ??= problem.Fleet.Intern(Say($"among the best {targets.Count} by objective, but the replicas must span {problem.Model.MinSites} sites, so nodes elsewhere took its place")));
            }

            // Words that do not change from one model to the next, so the record can be shared across a batch.
            return (ExclusionReason.Outranked, _outranked ??= problem.Fleet.Intern(targets.Count == 0
                ? Say($"no new replica to place: {problem.KeptCount} kept of {problem.Model.Replicas} requested")
                : "eligible, but the chosen nodes score better on the tenant's objective"));
        }

        private string UnaffordableBest()
        {
            var cost = 0.0;
            foreach (var e in bestWithSpread)
            {
                cost += problem.CostUsdPerHour[e];
            }

            return Say($"in the best set by objective, but that set costs {cost:0.####} USD/h with {Math.Max(0, targets.BudgetLeftUsdPerHour):0.####} USD/h of the budget left");
        }

        private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
