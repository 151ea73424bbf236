using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Server.Telemetry;

/// <summary>The sites as the collector last read them.</summary>
/// <param name="Sites">Every site's view, with its counts and sums.</param>
public sealed record FleetSnapshot(IReadOnlyList<SiteView> Sites);
