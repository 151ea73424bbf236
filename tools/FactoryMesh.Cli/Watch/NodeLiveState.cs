namespace FactoryMesh.Cli.Watch;

/// <summary>The latest known state of one node on the watch board; fields stay null until something reports them.</summary>
internal sealed record NodeLiveState(
    string NodeId,
    string? Trust = null,
    DateTimeOffset? TrustExpiresAt = null,
    double? GpuUtilization = null,
    double? PowerWatts = null,
    double? TokensPerSecond = null,
    DateTimeOffset? UpdatedAt = null);
