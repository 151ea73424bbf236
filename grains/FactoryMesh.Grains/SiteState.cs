using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;

namespace FactoryMesh.Grains;

/// <summary>A site grain's durable state.</summary>
[GenerateSerializer]
public sealed class SiteState
{
    /// <summary>The site's profile; null until the site is created.</summary>
    [Id(0)] public SiteProfile? Profile { get; set; }

    /// <summary>Placement facts of each node, by node id.</summary>
    [Id(1)] public Dictionary<string, NodePlacementFacts> Nodes { get; set; } = new(StringComparer.Ordinal);
}
