namespace FactoryMesh.SiteAgent.Nodes;

/// <summary>Finds the nodes the agent speaks for: the real machine, or a simulated fleet.</summary>
internal interface INodeDiscovery
{
    /// <summary>The nodes, ready to register.</summary>
    Task<IReadOnlyList<ManagedNode>> DiscoverAsync(CancellationToken cancellationToken);
}
