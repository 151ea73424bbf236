using CsCheck;
using FactoryMesh.Core.Placement;

namespace FactoryMesh.Core.Tests.Placement;

public sealed class PlacementPropertyTests
{
    private static readonly PlacementSolver Default = new();
    private static readonly PlacementSolver AlwaysExact = new(new PlacementSolverOptions { ExactMaxCandidates = int.MaxValue, ExactSearchNodeLimit = long.MaxValue });
    private static readonly PlacementSolver AlwaysHeuristic = new(new PlacementSolverOptions { ExactMaxCandidates = 0 });

    [Fact]
    public void No_placement_ever_breaks_a_hard_constraint()
    {
        RandomFleets.Requests(30).Sample(request =>
        {
            foreach (var solver in new[] { Default, AlwaysHeuristic })
            {
                var decision = solver.Solve(request);
                var byId = request.Candidates.ToDictionary(c => c.Node.NodeId);
                var kept = Oracle.Kept(request);
                var newIds = decision.Replicas.Select(r => r.NodeId).ToList();
                Assert.Equal(newIds.Count, newIds.Distinct().Count());
                Assert.True(newIds.Count <= Math.Max(0, request.Model.Replicas - kept.Count));
                foreach (var replica in decision.Replicas)
                {
                    Assert.DoesNotContain(replica.NodeId, request.KeptNodeIds);
                    Assert.Null(Oracle.FirstFailure(request, byId[replica.NodeId]));
                    Assert.Equal(byId[replica.NodeId].SiteId, replica.SiteId);
                }

                // Kept replicas stay even when they alone exceed the budget; then nothing is added.
                Assert.True(Oracle.WithinBudget(request, decision.TotalCostUsdPerHour) || (decision.Replicas.Count == 0 && !decision.Feasible),
                    $"total {decision.TotalCostUsdPerHour} USD/h over the budget of {request.Policy.BudgetUsdPerHour} USD/h");
                var total = kept.CostUsdPerHour + decision.Replicas.Sum(r => r.CostUsdPerHour);
                Assert.Equal(total, decision.TotalCostUsdPerHour, 1e-9 * Math.Max(1, total));
                if (decision.Feasible)
                {
                    Assert.Equal(Math.Max(0, request.Model.Replicas - kept.Count), decision.Replicas.Count);
                    Assert.True(kept.Sites.Union(decision.Replicas.Select(r => r.SiteId)).Count() >= request.Model.MinSites);
                    Assert.Empty(decision.BindingConstraints);
                }
                else
                {
                    Assert.NotEmpty(decision.BindingConstraints);
                }
            }
        });
    }

    [Fact]
    public void Exact_mode_finds_the_brute_force_optimum_and_never_fewer_replicas_than_fit()
    {
        RandomFleets.Requests(10).Sample(request =>
        {
            var decision = AlwaysExact.Solve(request);
            Assert.Equal(PlacementModes.Exact, decision.Mode);
            var ranked = PlacementSolver.Rank(request);
            var requested = Math.Max(0, request.Model.Replicas - Oracle.Kept(request).Count);
            var optimum = Oracle.BruteForceOptimum(request, ranked, requested);
            if (optimum is { } best && ranked.Count >= requested)
            {
                Assert.True(decision.Feasible, string.Join("; ", decision.BindingConstraints));
                Assert.Equal(best, decision.Objective, 1e-9 * Math.Max(1, best));
            }
            else
            {
                Assert.False(decision.Feasible);
                // Short of a full placement, still as many replicas as the budget and the eligible nodes allow.
                Assert.Equal(Oracle.MostAffordable(request, ranked, requested), decision.Replicas.Count);
            }
        });
    }

    [Fact]
    public void Exact_mode_finds_the_brute_force_optimum_when_the_budget_binds()
    {
        // The budget is drawn between the cheapest set that meets the spread and the best set by objective, so it binds and
        // the pruned branch and bound, not the matroid greedy, decides.
        var binding =
            from request in RandomFleets.Requests(12, minNodes: 6)
            from share in Gen.Double[0.05, 0.95]
            select WithBindingBudget(RandomFleets.Healthy(request), share);
        var checkedCount = 0;
        binding.Sample(request =>
        {
            if (request is null)
            {
                return;
            }

            Interlocked.Increment(ref checkedCount);
            var decision = AlwaysExact.Solve(request);
            var ranked = PlacementSolver.Rank(request);
            var optimum = Oracle.BruteForceOptimum(request, ranked, Math.Max(0, request.Model.Replicas - Oracle.Kept(request).Count));
            Assert.Equal(PlacementModes.Exact, decision.Mode);
            Assert.True(decision.Feasible);
            Assert.NotNull(optimum);
            Assert.Equal(optimum.Value, decision.Objective, 1e-9 * Math.Max(1, optimum.Value));
            Assert.True(AlwaysHeuristic.Solve(request).Objective >= decision.Objective - 1e-9);
        }, iter: 400);
        Assert.True(checkedCount >= 100, $"only {checkedCount} instances had a budget that could bind");
    }

    private static PlacementRequest? WithBindingBudget(PlacementRequest request, double share)
    {
        var unbounded = request with { Policy = request.Policy with { BudgetUsdPerHour = null } };
        var best = Default.Solve(unbounded);
        var ranked = PlacementSolver.Rank(unbounded);
        var kept = Oracle.Kept(unbounded);
        var cheapest = Oracle.Cheapest(unbounded, ranked, Math.Max(0, request.Model.Replicas - kept.Count));
        if (!best.Feasible || best.Replicas.Count == 0)
        {
            return null;
        }

        var least = kept.CostUsdPerHour + cheapest.Sum(c => c.Economics.CostUsdPerHour);
        return best.TotalCostUsdPerHour - least > 1e-6 * least
            ? request with { Policy = request.Policy with { BudgetUsdPerHour = least + share * (best.TotalCostUsdPerHour - least) } }
            : null;
    }

    [Fact]
    public void Heuristic_is_never_worse_than_plain_greedy()
    {
        RandomFleets.Requests(40).Sample(request =>
        {
            var ranked = PlacementSolver.Rank(request);
            var requested = Math.Max(0, request.Model.Replicas - Oracle.Kept(request).Count);
            var greedy = Oracle.PlainGreedy(request, ranked, requested);
            if (greedy.Count < requested || !Oracle.SpreadAndBudgetHold(request, greedy))
            {
                return;
            }

            var decision = AlwaysHeuristic.Solve(request);
            Assert.True(decision.Feasible);
            Assert.True(decision.Objective <= greedy.Sum(c => c.Objective) + 1e-9, $"heuristic {decision.Objective}, greedy {greedy.Sum(c => c.Objective)}");
        });
    }

    [Fact]
    public void Every_candidate_not_chosen_is_explained_once_with_the_constraint_it_fails()
    {
        RandomFleets.Requests(30).Sample(request =>
        {
            var decision = Default.Solve(request);
            var chosen = decision.Replicas.Select(r => r.NodeId).ToHashSet();
            var kept = request.KeptNodeIds.ToHashSet();
            var explained = decision.Excluded.Select(e => e.NodeId).ToList();
            Assert.Equal(explained.Count, explained.Distinct().Count());
            foreach (var candidate in request.Candidates)
            {
                var id = candidate.Node.NodeId;
                var exclusion = decision.Excluded.SingleOrDefault(e => e.NodeId == id);
                Assert.True(chosen.Contains(id) || kept.Contains(id) ? exclusion is null : exclusion is not null, id);
                if (exclusion is null)
                {
                    continue;
                }

                Assert.False(string.IsNullOrWhiteSpace(exclusion.Detail));
                var failure = Oracle.FirstFailure(request, candidate);
                if (failure is { } reason)
                {
                    Assert.Equal(reason, exclusion.Reason);
                }
                else
                {
                    Assert.Contains(exclusion.Reason, new[] { ExclusionReason.Spread, ExclusionReason.Budget, ExclusionReason.Outranked });
                }
            }
        });
    }

    [Fact]
    public void The_same_request_always_gets_the_same_decision_whatever_the_candidate_order()
    {
        RandomFleets.Requests(30).Select(Gen.Int, (request, seed) => (request, seed)).Sample(sample =>
        {
            var (request, seed) = sample;
            var first = new PlacementSolver().Solve(request);
            var again = new PlacementSolver().Solve(request);
            Assert.Equal(first.Replicas, again.Replicas);
            Assert.Equal(first.Excluded, again.Excluded);
            Assert.Equal(first.BindingConstraints, again.BindingConstraints);
            Assert.Equal((first.Feasible, first.Mode, first.Objective, first.TotalCostUsdPerHour), (again.Feasible, again.Mode, again.Objective, again.TotalCostUsdPerHour));

            var random = new Random(seed);
            var shuffled = request with { Candidates = request.Candidates.OrderBy(_ => random.Next()).ToList() };
            var reordered = new PlacementSolver().Solve(shuffled);
            Assert.Equal(first.Replicas.Select(r => r.NodeId), reordered.Replicas.Select(r => r.NodeId));
            Assert.Equal(first.Excluded.OrderBy(e => e.NodeId, StringComparer.Ordinal), reordered.Excluded.OrderBy(e => e.NodeId, StringComparer.Ordinal));
        });
    }
}
