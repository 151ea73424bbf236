using System.Globalization;
using FactoryMesh.SiteAgent.Sites;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>Splits N simulated nodes over a site's fleet mix, in proportion to the shares (largest remainder first).</summary>
internal static class SimulatedFleetPlan
{
    /// <summary>The nodes of a simulated <paramref name="site"/> with <paramref name="nodeCount"/> nodes.</summary>
    public static IReadOnlyList<PlannedNode> For(SiteDescription site, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodeCount);
        var unknown = site.Fleet.Where(f => GpuModelCatalog.Find(f.GpuModel) is null).Select(f => f.GpuModel).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidSiteFileException(site.SiteId, [$"The simulator knows GPU models {string.Join(", ", GpuModelCatalog.All.Select(m => m.Name))}, not {string.Join(", ", unknown)}."]);
        }

        var total = site.Fleet.Sum(f => f.Share);
        var exact = site.Fleet.Select(f => nodeCount * f.Share / total).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var index in exact.Select((e, i) => (Remainder: e - Math.Floor(e), Index: i)).OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take(nodeCount - counts.Sum()))
        {
            counts[index.Index]++;
        }

        var width = Math.Max(3, nodeCount.ToString(CultureInfo.InvariantCulture).Length);
        var nodes = new List<PlannedNode>(nodeCount);
        for (var i = 0; i < site.Fleet.Count; i++)
        {
            var share = site.Fleet[i];
            var model = GpuModelCatalog.Find(share.GpuModel)!;
            for (var n = 0; n < counts[i]; n++)
            {
                var name = "node-" + (nodes.Count + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
                nodes.Add(new PlannedNode(name, model, share.GpusPerNode, Math.Round(share.GpusPerNode * share.CostUsdPerGpuHour, 2)));
            }
        }

        return nodes;
    }
}
