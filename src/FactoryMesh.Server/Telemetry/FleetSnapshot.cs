using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Server.Telemetry;

/// <summary>The sites as the collector last read them.</summary>
/// <param name="Sites">Every site's view, with its counts and sums.</param>
/// <param name="Nodes">Every node's latest utilization sample, when per-node metrics are on; otherwise empty.</param>
public sealed record FleetSnapshot(IReadOnlyList<SiteView> Sites, IReadOnlyList<NodeUtilization> Nodes);
