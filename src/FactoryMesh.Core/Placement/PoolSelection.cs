namespace FactoryMesh.Core.Placement;

/// <summary>A set of pool positions with its totals; positions ascending, so equal sets compare equal.</summary>
/// <param name="Positions">The chosen pool positions, ascending.</param>
/// <param name="Objective">Their summed objective.</param>
/// <param name="Cost">Their summed cost, USD per hour.</param>
internal sealed record PoolSelection(int[] Positions, double Objective, double Cost)
{
    /// <summary>The selection of <paramref name="positions"/> in <paramref name="pool"/>.</summary>
    public static PoolSelection Of(CandidatePool pool, int[] positions)
    {
        var sorted = (int[])positions.Clone();
        Array.Sort(sorted);
        var (objective, cost) = pool.Totals(sorted);
        return new PoolSelection(sorted, objective, cost);
    }

    /// <summary>
    /// True when this selection should be preferred: more replicas first (a short set never beats a full one), then a lower
    /// objective, then, for a deterministic answer among equals, the earlier positions.
    /// </summary>
    public bool IsBetterThan(PoolSelection? other)
    {
        if (other is null)
        {
            return true;
        }

        if (Positions.Length != other.Positions.Length)
        {
            return Positions.Length > other.Positions.Length;
        }

        if (Objective != other.Objective)
        {
            return Objective < other.Objective;
        }

        return Positions.AsSpan().SequenceCompareTo(other.Positions) < 0;
    }
}
