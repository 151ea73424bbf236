using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Trust;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Core.Tests.Placement;

public sealed class PlacementScenarioTests
{
    private static readonly SiteProfile Germany = Fleet.Site("DE", ["EU"], 0.20, 1.25, 380);
    private static readonly SiteProfile France = Fleet.Site("FR", ["EU"], 0.15, 1.30, 60);

    // Two identical H100 nodes in Germany and a dearer one in France; a replica of the 140 GiB model takes a quarter of a node.
    private static readonly List<PlacementCandidate> TwoSites =
    [
        Fleet.Node("eu-fra-1", Germany, "a"),
        Fleet.Node("eu-fra-1", Germany, "b"),
        Fleet.Node("eu-par-1", France, "a", usdPerHour: 30),
    ];

    [Fact]
    public void Spread_sends_a_replica_to_a_second_site_and_says_which_node_it_displaced()
    {
        var decision = new PlacementSolver().Solve(Fleet.Request(Fleet.Model(replicas: 2, minSites: 2), Fleet.Policy(), TwoSites));

        Assert.True(decision.Feasible);
        Assert.Equal(["eu-fra-1/a", "eu-par-1/a"], decision.Replicas.Select(r => r.NodeId));
        var displaced = Assert.Single(decision.Excluded);
        Assert.Equal(("eu-fra-1/b", ExclusionReason.Spread), (displaced.NodeId, displaced.Reason));
    }

    [Fact]
    public void Kept_replicas_count_toward_replicas_spread_and_budget()
    {
        var keptCost = 0.25 * (24 + 10.2 * 1.25 * 0.20);
        var request = Fleet.Request(Fleet.Model(replicas: 2, minSites: 2), Fleet.Policy(budget: 100), TwoSites, "eu-fra-1/a");

        var decision = new PlacementSolver().Solve(request);

        var added = Assert.Single(decision.Replicas);
        Assert.Equal("eu-par-1/a", added.NodeId);
        Assert.Equal(keptCost + added.CostUsdPerHour, decision.TotalCostUsdPerHour, 1e-12);
        Assert.DoesNotContain(decision.Excluded, e => e.NodeId == "eu-fra-1/a");
    }

    [Fact]
    public void A_budget_too_small_for_every_replica_places_as_many_as_it_pays_for_and_says_so()
    {
        var replicaCost = 0.25 * (24 + 10.2 * 1.25 * 0.20);
        var request = Fleet.Request(Fleet.Model(replicas: 3), Fleet.Policy(budget: 2.5 * replicaCost), TwoSites);

        var decision = new PlacementSolver().Solve(request);

        Assert.False(decision.Feasible);
        Assert.Equal(2, decision.Replicas.Count);
        Assert.StartsWith("budget:", Assert.Single(decision.BindingConstraints), StringComparison.Ordinal);
        Assert.Equal(ExclusionReason.Budget, Assert.Single(decision.Excluded).Reason);
        Assert.True(decision.TotalCostUsdPerHour <= 2.5 * replicaCost);
    }

    [Fact]
    public void A_binding_budget_trades_objective_for_cost_and_blames_the_budget()
    {
        // A B200 replica is best per token but dearer per hour than an L4 one; a budget below the B200's hourly cost leaves the L4.
        var site = Germany;
        List<PlacementCandidate> candidates =
        [
            Fleet.Node("eu-fra-1", site, "b200", "B200", 8, 180, watts: 14_300, usdPerHour: 45),
            Fleet.Node("eu-fra-1", site, "h100", "H100", 8, 80, watts: 10_200, usdPerHour: 24),
            Fleet.Node("eu-fra-1", site, "l4", "L4", 8, 24, watts: 1_200, usdPerHour: 2),
        ];
        var request = Fleet.Request(Fleet.Model(), Fleet.Policy(budget: 2.5), candidates);

        var decision = new PlacementSolver().Solve(request);

        Assert.True(decision.Feasible);
        Assert.Equal("eu-fra-1/l4", Assert.Single(decision.Replicas).NodeId);
        Assert.Equal(PlacementModes.Exact, decision.Mode);
        Assert.All(decision.Excluded, e => Assert.Equal(ExclusionReason.Budget, e.Reason));
    }

    [Fact]
    public void Without_eligible_nodes_the_decision_is_infeasible_and_counts_the_exclusions()
    {
        var stale = new TrustStatus(TrustState.Stale, Fleet.Now.AddHours(-1), Fleet.Now.AddMinutes(-1), "expired");
        List<PlacementCandidate> candidates =
        [
            Fleet.Node("eu-fra-1", Germany, "stale", trust: stale),
            Fleet.Node("eu-fra-1", Germany, "full", freeGiB: 100),
            Fleet.Node("eu-fra-1", Germany, "silent", liveness: Liveness.Suspect),
            Fleet.Node("eu-fra-1", Germany, "short", trust: Fleet.TrustedFor(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5))),
            Fleet.Node("eu-fra-1", Germany, "sim", tee: "SIM"),
        ];

        var decision = new PlacementSolver().Solve(Fleet.Request(Fleet.Model(), Fleet.Policy(tee: ["TDX"]), candidates));

        Assert.False(decision.Feasible);
        Assert.Empty(decision.Replicas);
        Assert.Equal(
            [ExclusionReason.NotTrusted, ExclusionReason.Capacity, ExclusionReason.NotReady, ExclusionReason.FreshnessTooShort, ExclusionReason.TeeKind],
            decision.Excluded.Select(e => e.Reason));
        var binding = Assert.Single(decision.BindingConstraints);
        Assert.Contains("only 0 candidates", binding, StringComparison.Ordinal);
        Assert.Contains("NotTrusted 1", binding, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_failing_several_constraints_is_excluded_for_the_first_in_order()
    {
        var untrusted = new TrustStatus(TrustState.Untrusted, null, null, "revoked");
        var candidates = new List<PlacementCandidate> { Fleet.Node("us-ore-1", Fleet.Site("US", [], 0.07, 1.15, 120), "x", tee: "SIM", trust: untrusted) };

        var decision = new PlacementSolver().Solve(Fleet.Request(Fleet.Model(), Fleet.Policy(allowed: ["DE"], tee: ["TDX"]), candidates));

        var exclusion = Assert.Single(decision.Excluded);
        Assert.Equal(ExclusionReason.Sovereignty, exclusion.Reason);
        Assert.Contains("US", exclusion.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attestation_older_than_the_tenant_accepts_is_not_fresh_enough()
    {
        var candidates = new List<PlacementCandidate> { Fleet.Node("eu-fra-1", Germany, "old", trust: Fleet.TrustedFor(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20))) };

        var decision = new PlacementSolver().Solve(Fleet.Request(Fleet.Model(), Fleet.Policy(maxAgeSeconds: 600), candidates));

        Assert.Equal(ExclusionReason.FreshnessTooShort, Assert.Single(decision.Excluded).Reason);
    }

    [Fact]
    public void A_batch_reserves_whole_GPUs_so_later_models_see_the_node_fill_up()
    {
        // One 8 × 80 GiB node; each 140 GiB replica takes 2 GPUs, so four fit and the fifth model finds no room.
        var candidates = new List<PlacementCandidate> { Fleet.Node("eu-fra-1", Germany, "only") };
        var items = Enumerable.Range(0, 5).Select(_ => new PlacementBatchItem(Fleet.Model(), Fleet.Policy(), [])).ToList();

        var decisions = new PlacementSolver().SolveBatch(new PlacementBatchRequest(candidates, items, Fleet.Now, Fleet.MinFreshness));

        Assert.All(decisions.Take(4), d => Assert.Equal("eu-fra-1/only", Assert.Single(d.Replicas).NodeId));
        Assert.False(decisions[4].Feasible);
        Assert.Equal(ExclusionReason.Capacity, Assert.Single(decisions[4].Excluded).Reason);
        Assert.Equal(640, candidates[0].Node.FreeGpuMemoryGiB);
    }

    [Fact]
    public void Without_a_budget_a_large_fleet_is_still_solved_exactly()
    {
        var candidates = Enumerable.Range(0, 400)
            .Select(i => Fleet.Node(i % 2 == 0 ? "eu-fra-1" : "eu-par-1", i % 2 == 0 ? Germany : France, $"n{i:000}", usdPerHour: 20 + i % 7))
            .ToList();

        var decision = new PlacementSolver(new PlacementSolverOptions { ExactMaxCandidates = 0 })
            .Solve(Fleet.Request(Fleet.Model(replicas: 5, minSites: 2), Fleet.Policy(), candidates));

        Assert.Equal(PlacementModes.Exact, decision.Mode);
        Assert.Equal(5, decision.Replicas.Count);
        Assert.Equal(395, decision.Excluded.Count);
    }

    [Fact]
    public void A_node_listed_twice_or_an_invalid_model_is_refused()
    {
        var solver = new PlacementSolver();
        var twice = new List<PlacementCandidate> { TwoSites[0], TwoSites[0] };

        Assert.Throws<ArgumentException>(() => solver.Solve(Fleet.Request(Fleet.Model(), Fleet.Policy(), twice)));
        Assert.Throws<ArgumentException>(() => solver.Solve(Fleet.Request(Fleet.Model(replicas: 0), Fleet.Policy(), TwoSites)));
    }

    [Fact]
    public void Model_rules_name_each_broken_field()
    {
        var errors = new ValidationErrors();
        new ModelSpec(-1, new Dictionary<string, double> { ["H100"] = 0, ["bad name"] = 10 }, 2, 3).Validate(errors);

        Assert.Equal(["gpuMemoryGiB", "minSites", "tokensPerSecondByGpu", "tokensPerSecondByGpu.H100"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_replica_takes_whole_GPUs_without_rounding_a_hair_into_an_extra_one()
    {
        Assert.Equal(2, TokenEconomics.GpusPerReplica(70.4, 35.2));
        Assert.Equal(3, TokenEconomics.GpusPerReplica(70.5, 35.2));
        Assert.Equal(1, TokenEconomics.GpusPerReplica(10, 80));
        Assert.False(TokenEconomics.TryEvaluate(Fleet.Model(gib: 700), new NodeInventory("H100", 8, 80, "TDX", 10_200, 24), Germany, out _));
    }
}
