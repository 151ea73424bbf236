namespace FactoryMesh.Core.Placement;

/// <summary>
/// The eligible nodes a budgeted search works on, in objective-then-node-id order, so a position is also the tie-break. Holds
/// copies of what the search reads (objective, cost, colour) in compact arrays, and each item's eligible index to map back.
/// </summary>
internal sealed class CandidatePool
{
    public CandidatePool(PlacementProblem problem, int[] eligibleInOrder)
    {
        Count = eligibleInOrder.Length;
        ColorCount = problem.ColorCount;
        Eligible = eligibleInOrder;
        Objective = new double[Count];
        Cost = new double[Count];
        Color = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            var e = eligibleInOrder[i];
            Objective[i] = problem.Objective[e];
            Cost[i] = problem.CostUsdPerHour[e];
            Color[i] = problem.Color[e];
        }
    }

    public int Count { get; }

    public int ColorCount { get; }

    /// <summary>Per position: the eligible index it stands for.</summary>
    public int[] Eligible { get; }

    public double[] Objective { get; }

    /// <summary>Per position: the replica's cost, USD per hour.</summary>
    public double[] Cost { get; }

    public int[] Color { get; }

    /// <summary>Total objective and cost of the items at <paramref name="positions"/>, summed in position order.</summary>
    public (double Objective, double Cost) Totals(ReadOnlySpan<int> positions)
    {
        var (objective, cost) = (0.0, 0.0);
        foreach (var position in positions)
        {
            objective += Objective[position];
            cost += Cost[position];
        }

        return (objective, cost);
    }
}
