namespace FactoryMesh.Server.History;

/// <summary>One site's figures at one moment, as a point of its trend charts.</summary>
/// <param name="At">When the Site grain was read.</param>
/// <param name="Nodes">Registered nodes.</param>
/// <param name="Ready">Nodes whose agent is heard from.</param>
/// <param name="Trusted">Nodes with fresh, verified attestation.</param>
/// <param name="Stale">Nodes whose attestation is no longer fresh.</param>
/// <param name="Untrusted">Nodes that failed appraisal or were revoked.</param>
/// <param name="GpuUtilization">Mean GPU utilization of the nodes that reported, 0 to 1.</param>
/// <param name="PowerWatts">Power drawn, watts.</param>
/// <param name="TokensPerSecond">Tokens per second served.</param>
public sealed record SiteSample(
    DateTimeOffset At, int Nodes, int Ready, int Trusted, int Stale, int Untrusted, double GpuUtilization, double PowerWatts, double TokensPerSecond);
