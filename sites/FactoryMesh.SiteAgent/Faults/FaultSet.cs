namespace FactoryMesh.SiteAgent.Faults;

/// <summary>The faults in force: per node name, and for every node (<c>*</c>).</summary>
internal sealed class FaultSet
{
    /// <summary>The key that applies to every node.</summary>
    public const string EveryNode = "*";

    private readonly IReadOnlyDictionary<string, NodeFault> _byNode;

    /// <summary>Creates the set from node name (or <see cref="EveryNode"/>) → faults.</summary>
    public FaultSet(IReadOnlyDictionary<string, NodeFault> byNode)
    {
        _byNode = byNode;
    }

    /// <summary>No faults at all.</summary>
    public static FaultSet None { get; } = new(new Dictionary<string, NodeFault>());

    /// <summary>True when nothing is injected.</summary>
    public bool IsEmpty => _byNode.Values.All(f => f == NodeFault.None);

    /// <summary>The faults of node <paramref name="nodeName"/>, those for every node included.</summary>
    public NodeFault For(string nodeName) =>
        _byNode.GetValueOrDefault(EveryNode) | _byNode.GetValueOrDefault(nodeName);

    /// <summary>True when <paramref name="nodeName"/> has <paramref name="fault"/>.</summary>
    public bool Has(string nodeName, NodeFault fault) => (For(nodeName) & fault) != 0;

    /// <summary>The set in the fault file's words, for logs: <c>*: stop-attesting; node-002: debug-on</c>.</summary>
    public override string ToString() => IsEmpty
        ? "none"
        : string.Join("; ", _byNode.Where(e => e.Value != NodeFault.None).OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key}: {string.Join(", ", FaultFileParser.Names(e.Value))}"));
}
