using FactoryMesh.Core.Sites;

namespace FactoryMesh.Grains;

/// <summary>
/// A site grain's durable state: only its profile. The node index is rebuilt from the node grains' stored states
/// (field 1 once held a copy of every node's facts, rewritten whole on each change; it is no longer written).
/// </summary>
[GenerateSerializer]
public sealed class SiteState
{
    /// <summary>The site's profile; null until the site is created.</summary>
    [Id(0)] public SiteProfile? Profile { get; set; }
}
