namespace FactoryMesh.Core.Placement;

/// <summary>
/// A strict total order over the items of a selection (eligible nodes or a shortlist of them): by a key, lowest first, ties
/// broken so that every run picks the same nodes. A struct implementing it lets the generic selection code inline the compare.
/// </summary>
internal interface IItemOrder
{
    /// <summary>Negative when item <paramref name="a"/> comes first, positive when <paramref name="b"/> does; zero only for a = b.</summary>
    int Compare(int a, int b);
}

/// <summary>Eligible nodes by a key, ties broken by node id (ordinal), as the solver promises.</summary>
internal readonly struct ByKeyThenNodeId(double[] keys, PlacementProblem problem) : IItemOrder
{
    public int Compare(int a, int b)
    {
        var byKey = keys[a].CompareTo(keys[b]);
        return byKey != 0 ? byKey : string.CompareOrdinal(problem.NodeIdOf(a), problem.NodeIdOf(b));
    }
}

/// <summary>Shortlisted nodes by a key, ties broken by shortlist position, which is itself objective-then-node-id order.</summary>
internal readonly struct ByKeyThenPosition(double[] keys) : IItemOrder
{
    public int Compare(int a, int b)
    {
        var byKey = keys[a].CompareTo(keys[b]);
        return byKey != 0 ? byKey : a.CompareTo(b);
    }
}

/// <summary>Shortlisted nodes by position alone: objective, then node id.</summary>
internal readonly struct ByPosition : IItemOrder
{
    public int Compare(int a, int b) => a.CompareTo(b);
}
