namespace FactoryMesh.Core.Placement;

/// <summary>When <see cref="PlacementSolver"/> proves an optimum and when it settles for its heuristic.</summary>
public sealed class PlacementSolverOptions
{
    /// <summary>
    /// The largest pool a budgeted placement is solved exactly for, counted after candidates failing hard constraints and
    /// candidates provably never needed (dominated on objective and cost by enough others) are set aside. Larger pools use the
    /// heuristic alone. Without a budget, or when the best set fits the budget anyway, every size is solved exactly and this
    /// does not apply. Default 128: on the project's two-core reference machine, pools of 128 that pruning cannot shrink are
    /// proven optimal in a tenth of a millisecond at the median (the placement report in tools/FactoryMesh.Bench measures
    /// it); the search tables grow with the square of the pool. 0 always uses the heuristic.
    /// </summary>
    public int ExactMaxCandidates { get; init; } = 128;

    /// <summary>
    /// The most branches the exact search may visit before it gives up and returns the heuristic's set, unproven (mode
    /// "heuristic"). It bounds the worst case, which comes from many near-identical nodes against a budget between them;
    /// default 1,000,000, about 6 ms of search on the reference machine when it is otherwise idle. A limit on branches rather
    /// than on time keeps decisions deterministic.
    /// </summary>
    public long ExactSearchNodeLimit { get; init; } = 1_000_000;
}
