using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A sovereign site, keyed by its id (<c>eu-fra-1</c>), holding the in-memory index of its nodes' placement facts.</summary>
[Alias("FactoryMesh.ISiteGrain")]
public interface ISiteGrain : IGrainWithStringKey
{
    /// <summary>Creates the site or replaces its profile; durable before it returns.</summary>
    [Alias("Upsert")]
    Task<SiteView> UpsertAsync(SiteProfile profile);

    /// <summary>The site with its node summary, or null when it does not exist.</summary>
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<SiteView?> GetAsync();

    /// <summary>True when <paramref name="nodeId"/> is a registered node of this site (its index, in memory).</summary>
    [Alias("HasNode"), Orleans.Concurrency.ReadOnly]
    Task<bool> HasNodeAsync(string nodeId);

    /// <summary>
    /// For each of <paramref name="nodeIds"/>, whether it is a registered node of this site (its in-memory index): a
    /// heartbeat batch asks once, and no node grain is woken for an id the site does not know.
    /// </summary>
    [Alias("KnownNodes"), Orleans.Concurrency.ReadOnly]
    Task<bool[]> KnownNodesAsync(IReadOnlyList<string> nodeIds);

    /// <summary>The placement facts of every node of the site, by node id.</summary>
    [Alias("GetNodeFacts"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<NodePlacementFacts>> GetNodeFactsAsync();

    /// <summary>
    /// Records a node's current placement facts (called by the node grain). The index is in memory: the node grains'
    /// stored states are the durable truth, and a site rebuilds its index from them when it activates.
    /// </summary>
    [Alias("UpdateNodeFacts")]
    Task UpdateNodeFactsAsync(NodePlacementFacts facts);

    /// <summary>
    /// Takes the accepted samples of one heartbeat batch for the site summary and the live utilization stream; kept in
    /// memory only, so fire-and-forget. One call per batch, not per node.
    /// </summary>
    [Alias("ReportUtilization"), Orleans.Concurrency.OneWay]
    Task ReportUtilizationAsync(IReadOnlyList<NodeUtilization> samples);

    /// <summary>Each node's latest utilization sample (nodes that reported one), for per-node metrics.</summary>
    [Alias("GetNodeUtilization"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<NodeUtilization>> GetNodeUtilizationAsync();
}
