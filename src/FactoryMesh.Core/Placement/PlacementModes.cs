namespace FactoryMesh.Core.Placement;

/// <summary>How a <see cref="PlacementDecision"/> was reached.</summary>
public static class PlacementModes
{
    /// <summary>The objective is a proven optimum under every hard constraint.</summary>
    public const string Exact = "exact";

    /// <summary>The best set the heuristic found; every hard constraint still holds, optimality is not proven.</summary>
    public const string Heuristic = "heuristic";
}
