using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A sovereign site, keyed by its id (<c>eu-fra-1</c>), holding the index of its nodes' placement facts.</summary>
[Alias("FactoryMesh.ISiteGrain")]
public interface ISiteGrain : IGrainWithStringKey
{
    /// <summary>Creates the site or replaces its profile; durable before it returns.</summary>
    [Alias("Upsert")]
    Task<SiteView> UpsertAsync(SiteProfile profile);

    /// <summary>The site with its node summary, or null when it does not exist.</summary>
    [Alias("Get")]
    Task<SiteView?> GetAsync();

    /// <summary>The placement facts of every node of the site, by node id.</summary>
    [Alias("GetNodeFacts")]
    Task<IReadOnlyList<NodePlacementFacts>> GetNodeFactsAsync();

    /// <summary>Records a node's current placement facts (called by the node grain); durable before it returns.</summary>
    [Alias("UpdateNodeFacts")]
    Task UpdateNodeFactsAsync(NodePlacementFacts facts);

    /// <summary>Takes a node's latest utilization for the site summary; kept in memory only, so fire-and-forget.</summary>
    [Alias("ReportUtilization"), Orleans.Concurrency.OneWay]
    Task ReportUtilizationAsync(string nodeId, UtilizationSample sample);
}
