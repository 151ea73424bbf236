using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;

namespace FactoryMesh.Grains.Tests;

/// <summary>Plausible sites and nodes, and unique keys so tests sharing a cluster never meet.</summary>
public static class FleetTestData
{
    /// <summary>A German site in the EU.</summary>
    public static readonly SiteProfile Frankfurt = new("DE", ["EU"], 0.21, 1.2, 380);

    /// <summary>An eight-GPU H100 node with Intel TDX.</summary>
    public static readonly NodeInventory H100Node = new("H100", 8, 80, "TDX", 10_200, 24);

    /// <summary>A site id no other test uses.</summary>
    public static string UniqueSiteId() => $"site-{Guid.NewGuid():N}"[..20];

    /// <summary>A heartbeat sample.</summary>
    public static UtilizationSample Sample(double utilization) => new(utilization, 120, 8_000, 2_400, default);
}
