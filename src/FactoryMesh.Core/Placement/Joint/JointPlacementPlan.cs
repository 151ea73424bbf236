using Orleans;

namespace FactoryMesh.Core.Placement.Joint;

/// <summary>The joint plan for a set of models, with how good it is proven to be.</summary>
/// <param name="Models">Each model's plan, in request order.</param>
/// <param name="Objective">The plan's objective: every model's summed tenant-weighted objective, added up.</param>
/// <param name="Bound">A proven lower bound on the objective of any plan that places as many replicas over as many sites.</param>
/// <param name="Gap">(objective − bound) / objective: 0 means proven optimal.</param>
/// <param name="Status">
/// <c>optimal</c> (proven, up to 1e-5 per replica), <c>feasible</c> (time ran out first) or <c>sequential</c> (the solver found
/// nothing better than the greedy warm start).
/// </param>
/// <param name="SequentialObjective">The objective of placing the same models one after another, greedily, on the same fleet.</param>
/// <param name="Moves">Replicas taken off a node that could have kept them.</param>
/// <param name="ForcedMoves">Replicas on nodes that can no longer host them.</param>
/// <param name="PooledCandidates">Model–node pairs the solver considered after dominance pruning (every pair it dropped is provably never needed).</param>
/// <param name="SolveTime">Wall time of the whole plan.</param>
/// <param name="CurrentObjective">The objective of the replicas that run now and may stay (on nodes that can still host them): what the plan improves on.</param>
[GenerateSerializer, Immutable]
public sealed record JointPlacementPlan(
    [property: Id(0)] IReadOnlyList<JointModelPlan> Models,
    [property: Id(1)] double Objective,
    [property: Id(2)] double Bound,
    [property: Id(3)] double Gap,
    [property: Id(4)] string Status,
    [property: Id(5)] double SequentialObjective,
    [property: Id(6)] int Moves,
    [property: Id(7)] int ForcedMoves,
    [property: Id(8)] int PooledCandidates,
    [property: Id(9)] TimeSpan SolveTime,
    [property: Id(10)] double CurrentObjective)
{
    /// <summary>Replicas the plan runs, over all models.</summary>
    public int ReplicaCount => Models.Sum(m => m.Replicas.Count);
}
