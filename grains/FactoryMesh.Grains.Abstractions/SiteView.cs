using FactoryMesh.Core.Sites;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A site with a summary of its nodes.</summary>
/// <param name="SiteId">The site.</param>
/// <param name="Profile">Jurisdiction, zones and energy economics.</param>
/// <param name="Nodes">Registered nodes.</param>
/// <param name="Ready">Nodes whose agent is heard from.</param>
/// <param name="Trusted">Nodes with fresh, verified attestation.</param>
/// <param name="Stale">Nodes whose attestation is no longer fresh.</param>
/// <param name="Untrusted">Nodes that failed appraisal or were revoked.</param>
/// <param name="GpuUtilization">Mean GPU utilization over the nodes that reported, 0 to 1.</param>
/// <param name="PowerWatts">Power drawn by the nodes that reported, watts.</param>
/// <param name="TokensPerSecond">Tokens per second over the nodes that reported.</param>
[GenerateSerializer, Immutable]
public sealed record SiteView(
    [property: Id(0)] string SiteId,
    [property: Id(1)] SiteProfile Profile,
    [property: Id(2)] int Nodes,
    [property: Id(3)] int Ready,
    [property: Id(4)] int Trusted,
    [property: Id(5)] int Stale,
    [property: Id(6)] int Untrusted,
    [property: Id(7)] double GpuUtilization,
    [property: Id(8)] double PowerWatts,
    [property: Id(9)] double TokensPerSecond);
