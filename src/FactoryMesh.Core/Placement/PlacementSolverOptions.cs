namespace FactoryMesh.Core.Placement;

/// <summary>When <see cref="PlacementSolver"/> proves an optimum and when it settles for its heuristic.</summary>
public sealed class PlacementSolverOptions
{
    /// <summary>
    /// The largest pool a budgeted placement is solved exactly for, counted after candidates failing hard constraints and
    /// candidates provably never needed (dominated by enough others on objective and cost) are set aside. Larger pools use the
    /// heuristic. Without a budget, or when the best set fits the budget anyway, every size is solved exactly and this does not
    /// apply. Default 64: on this project's two-core reference machine the exact search stays within a few milliseconds at the
    /// 99th percentile there (see the placement report in tools/FactoryMesh.Bench). 0 always uses the heuristic.
    /// </summary>
    public int ExactMaxCandidates { get; init; } = 64;

    /// <summary>
    /// The most branches the exact search may visit before it gives up and returns the heuristic's answer, unproven (mode
    /// "heuristic"). Bounds the worst case; default 2,000,000, about a second of search.
    /// </summary>
    public long ExactSearchNodeLimit { get; init; } = 2_000_000;
}
