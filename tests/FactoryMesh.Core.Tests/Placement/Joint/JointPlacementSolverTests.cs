using CsCheck;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Placement.Joint;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Tests.Placement.Joint;

public sealed class JointPlacementSolverTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    private static readonly JointPlacementSolver Solver = new();

    // Two to three models of random tenants over a small random fleet: every state of trust, liveness and fill, every policy.
    private static readonly Gen<JointPlacementRequest> SmallInstances =
        from fleet in RandomFleets.Requests(6, 2)
        from second in RandomFleets.Requests(1)
        from third in RandomFleets.Requests(1)
        from models in Gen.Int[2, 3]
        from healthy in Gen.Int[0, 1]
        let basis = healthy == 0 ? RandomFleets.Healthy(fleet) : fleet
        select new JointPlacementRequest(
            basis.Candidates,
            new[] { basis, second, third }.Take(models).Select((r, i) => new JointPlacementItem($"t/m{i}", r.Model with { Replicas = Math.Min(r.Model.Replicas, 3), MinSites = Math.Min(r.Model.MinSites, Math.Min(r.Model.Replicas, 3)) }, r.Policy, [])).ToArray(),
            Fleet.Now, Fleet.MinFreshness, null, Limit);

    [Fact]
    public void Every_plan_is_the_brute_force_optimum_of_the_independent_oracle()
    {
        SmallInstances.Sample(request =>
        {
            var plan = Solver.Solve(request);
            var score = JointOracle.Check(request, plan.Models.Select(m => (IReadOnlyList<string>)m.Replicas.Select(r => r.NodeId).ToList()).ToList());
            var optimum = JointOracle.Optimum(request);
            Assert.False(JointOracle.Better(optimum, score), $"oracle {optimum} beats the plan {score} ({plan.Status})");
            Assert.Equal(optimum.Objective, plan.Objective, 1e-6);
            Assert.True(plan.Gap <= 1e-4, $"gap {plan.Gap} on a plan the oracle proves optimal");
            Assert.True(plan.Bound <= optimum.Objective + 1e-6, $"bound {plan.Bound} above the optimum {optimum.Objective}");
        }, iter: 150);
    }

    [Fact]
    public void The_joint_plan_is_never_worse_than_placing_the_models_one_after_another()
    {
        var contended =
            from fleet in RandomFleets.Requests(24, 10)
            from others in RandomFleets.Requests(1).Array[3, 6]
            let basis = RandomFleets.Healthy(fleet)
            select new JointPlacementRequest(
                basis.Candidates,
                others.Prepend(basis).Select((r, i) => new JointPlacementItem($"t/m{i}", r.Model, r.Policy, [])).ToArray(),
                Fleet.Now, Fleet.MinFreshness, null, Limit);
        contended.Sample(request =>
        {
            var plan = Solver.Solve(request);
            var sequential = new PlacementSolver().SolveBatch(new PlacementBatchRequest(
                request.Candidates, request.Items.Select(i => new PlacementBatchItem(i.Model, i.Policy, [])).ToArray(), request.Now, request.MinRemainingFreshness));
            var jointScore = JointOracle.Check(request, plan.Models.Select(m => (IReadOnlyList<string>)m.Replicas.Select(r => r.NodeId).ToList()).ToList());
            var sequentialScore = JointOracle.Check(request, sequential.Select(d => (IReadOnlyList<string>)d.Replicas.Select(r => r.NodeId).ToList()).ToList());
            Assert.False(JointOracle.Better(sequentialScore, jointScore), $"sequential {sequentialScore} beats joint {jointScore}");
        }, iter: 60);
    }

    [Fact]
    public void Models_competing_for_the_cheap_node_are_placed_better_together_than_first_come_first_served()
    {
        // One 8-GPU node is the cheapest for both models. Placed in order, the small model takes it and the large model, which
        // needs all eight GPUs, is left with the expensive node; together, the small model steps aside to its nearly-as-good
        // second choice and both save.
        var site = Fleet.Site("DE", ["EU"], 0.1, 1.2, 300);
        var cheap = Fleet.Node("eu-fra-1", site, "cheap", usdPerHour: 10);
        var alsoCheapForSmall = Fleet.Node("eu-fra-1", site, "small", gpus: 1, usdPerHour: 1.4, watts: 1_300);
        var dear = Fleet.Node("eu-fra-1", site, "dear", usdPerHour: 40);
        var small = new JointPlacementItem("t/small", Fleet.Model(gib: 60), Fleet.Policy(), []);
        var large = new JointPlacementItem("t/large", Fleet.Model(gib: 600), Fleet.Policy(), []);
        var request = new JointPlacementRequest([cheap, alsoCheapForSmall, dear], [small, large], Fleet.Now, Fleet.MinFreshness, null, Limit);

        var plan = Solver.Solve(request);

        Assert.Equal(["eu-fra-1/small"], plan.Models[0].Replicas.Select(r => r.NodeId));
        Assert.Equal(["eu-fra-1/cheap"], plan.Models[1].Replicas.Select(r => r.NodeId));
        Assert.Equal("optimal", plan.Status);
        Assert.True(plan.Objective < plan.SequentialObjective - 0.5, $"joint {plan.Objective} vs sequential {plan.SequentialObjective}");
        Assert.Equal(0, plan.Gap, 1e-6);
    }

    [Fact]
    public void Current_replicas_stay_within_the_move_budget_and_replicas_on_untrusted_nodes_move_whatever_it_says()
    {
        var site = Fleet.Site("DE", ["EU"], 0.1, 1.2, 300);
        var nodes = Enumerable.Range(0, 6).Select(i => Fleet.Node("eu-fra-1", site, $"n{i}", usdPerHour: 10 + i)).ToList();
        // The model runs on n3, n4 and n5 (the dearest) and on n0... which lost its trust.
        nodes[0] = nodes[0] with { Node = nodes[0].Node with { Trust = new TrustStatus(TrustState.Untrusted, Fleet.Now.AddMinutes(-1), null, "debug on") } };
        var item = new JointPlacementItem("t/m", Fleet.Model(gib: 600, replicas: 4), Fleet.Policy(), ["eu-fra-1/n0", "eu-fra-1/n3", "eu-fra-1/n4", "eu-fra-1/n5"]);
        var reserved = nodes.Select(n => item.CurrentNodeIds.Contains(n.Node.NodeId) ? n with { Node = n.Node with { FreeGpuMemoryGiB = 0 } } : n).ToList();

        var free = Solver.Solve(new JointPlacementRequest(reserved, [item], Fleet.Now, Fleet.MinFreshness, null, Limit));
        var oneMove = Solver.Solve(new JointPlacementRequest(reserved, [item], Fleet.Now, Fleet.MinFreshness, 1, Limit));
        var noMove = Solver.Solve(new JointPlacementRequest(reserved, [item], Fleet.Now, Fleet.MinFreshness, 0, Limit));

        Assert.Equal(["eu-fra-1/n1", "eu-fra-1/n2", "eu-fra-1/n3", "eu-fra-1/n4"], free.Models[0].Replicas.Select(r => r.NodeId).Order());
        Assert.Equal((1, 1), (free.Moves, free.ForcedMoves));
        Assert.Equal(["eu-fra-1/n0", "eu-fra-1/n5"], free.Models[0].Removed.Order());
        Assert.Equal((1, 1), (oneMove.Moves, oneMove.ForcedMoves));
        Assert.Equal((0, 1), (noMove.Moves, noMove.ForcedMoves));
        Assert.Equal(["eu-fra-1/n1", "eu-fra-1/n3", "eu-fra-1/n4", "eu-fra-1/n5"], noMove.Models[0].Replicas.Select(r => r.NodeId).Order());
    }

    [Fact]
    public void More_demand_than_the_fleet_holds_places_what_fits_and_says_which_models_are_short()
    {
        var site = Fleet.Site("DE", ["EU"], 0.1, 1.2, 300);
        var nodes = Enumerable.Range(0, 3).Select(i => Fleet.Node("eu-fra-1", site, $"n{i}", usdPerHour: 10 + i)).ToList();
        var items = Enumerable.Range(0, 4).Select(i => new JointPlacementItem($"t/m{i}", Fleet.Model(gib: 600, replicas: 2, minSites: 1), Fleet.Policy(), [])).ToArray();

        var plan = Solver.Solve(new JointPlacementRequest(nodes, items, Fleet.Now, Fleet.MinFreshness, null, Limit));
        var limited = Solver.Solve(new JointPlacementRequest(nodes, items, Fleet.Now, Fleet.MinFreshness, 0, Limit));

        Assert.Equal(3, plan.ReplicaCount);
        Assert.Equal(3, limited.ReplicaCount);
        Assert.Contains(plan.Models, m => !m.Feasible && m.Shortfall.Any(s => s.StartsWith("capacity:", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_re_plan_that_gains_nothing_moves_nothing()
    {
        // Two identical whole-node models on two identical nodes, placed the way node-id order would not choose: no plan is
        // better, so none is worth a migration.
        var site = Fleet.Site("DE", ["EU"], 0.1, 1.2, 300);
        var nodes = new[] { "n0", "n1", "n2" }.Select(n => Fleet.Node("eu-fra-1", site, n, freeGiB: n == "n0" ? 640 : 0)).ToList();
        var items = new[]
        {
            new JointPlacementItem("t/a", Fleet.Model(gib: 600), Fleet.Policy(), ["eu-fra-1/n2"]),
            new JointPlacementItem("t/b", Fleet.Model(gib: 600), Fleet.Policy(), ["eu-fra-1/n1"]),
        };

        var plan = Solver.Solve(new JointPlacementRequest(nodes, items, Fleet.Now, Fleet.MinFreshness, null, Limit));

        Assert.Equal((0, 0), (plan.Moves, plan.ForcedMoves));
        Assert.Equal(["eu-fra-1/n2"], plan.Models[0].Replicas.Select(r => r.NodeId));
        Assert.Equal(["eu-fra-1/n1"], plan.Models[1].Replicas.Select(r => r.NodeId));
        Assert.Equal("optimal", plan.Status);
        Assert.Equal(plan.CurrentObjective, plan.Objective, 1e-9);
    }

    [Fact]
    public void A_request_that_breaks_a_rule_is_refused_by_name()
    {
        var item = new JointPlacementItem("t/m", Fleet.Model(replicas: 0), Fleet.Policy(), []);
        var refusal = Assert.Throws<ArgumentException>(() => Solver.Solve(new JointPlacementRequest([], [item, item], Fleet.Now, Fleet.MinFreshness, -1, TimeSpan.Zero)));
        Assert.Contains("replicas", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("items: Each model may appear once", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("maxMoves", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("timeLimit", refusal.Message, StringComparison.Ordinal);
    }
}
