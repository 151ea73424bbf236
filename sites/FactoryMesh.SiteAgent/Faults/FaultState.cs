namespace FactoryMesh.SiteAgent.Faults;

/// <summary>The faults in force now, as the fault file last said.</summary>
internal sealed class FaultState
{
    private FaultSet _current = FaultSet.None;

    /// <summary>The current set.</summary>
    public FaultSet Current => Volatile.Read(ref _current);

    /// <summary>True when node <paramref name="nodeName"/> has <paramref name="fault"/> now.</summary>
    public bool Has(string nodeName, NodeFault fault) => Current.Has(nodeName, fault);

    /// <summary>Replaces the set.</summary>
    public void Set(FaultSet faults) => Volatile.Write(ref _current, faults);
}
