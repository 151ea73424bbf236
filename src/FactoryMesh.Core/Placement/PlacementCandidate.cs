using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>A node the scheduler may place on, with the site it stands in: what a Site grain's index yields.</summary>
/// <param name="Node">The node's placement facts.</param>
/// <param name="SiteId">The node's site (<c>eu-fra-1</c>); replicas spread over distinct site ids.</param>
/// <param name="Site">The site's jurisdiction, zones and energy.</param>
[GenerateSerializer, Immutable]
public sealed record PlacementCandidate(
    [property: Id(0)] NodePlacementFacts Node,
    [property: Id(1)] string SiteId,
    [property: Id(2)] SiteProfile Site);
