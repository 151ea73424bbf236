namespace FactoryMesh.SiteAgent.Nodes;

/// <summary>The nodes this agent speaks for, found once at start, and the signal that wakes registration.</summary>
internal sealed class NodeFleet : IDisposable
{
    private IReadOnlyList<ManagedNode> _nodes = [];
    private Dictionary<string, ManagedNode> _byId = new(StringComparer.Ordinal);

    /// <summary>The nodes, in name order.</summary>
    public IReadOnlyList<ManagedNode> Nodes => Volatile.Read(ref _nodes);

    /// <summary>Wakes the registration loop.</summary>
    public AsyncSignal RegistrationWanted { get; } = new();

    /// <summary>Sets the nodes found at start.</summary>
    public void Populate(IEnumerable<ManagedNode> nodes)
    {
        var ordered = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        _byId = ordered.ToDictionary(n => n.Id, StringComparer.Ordinal);
        Volatile.Write(ref _nodes, ordered);
        RegistrationWanted.Set();
    }

    /// <summary>The node with id <paramref name="nodeId"/>, if it is one of ours.</summary>
    public ManagedNode? Find(string nodeId) => _byId.GetValueOrDefault(nodeId);

    /// <summary>Asks for <paramref name="node"/> to be registered again; false when that was already pending.</summary>
    public bool RequestRegistration(ManagedNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.RequestRegistration())
        {
            return false;
        }

        RegistrationWanted.Set();
        return true;
    }

    /// <summary>Asks for every node to be registered again (after the control plane was away); how many were asked.</summary>
    public int RequestRegistrationOfAll() => Nodes.Count(RequestRegistration);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        RegistrationWanted.Dispose();
    }
}
