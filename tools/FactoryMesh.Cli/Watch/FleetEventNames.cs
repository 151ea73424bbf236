namespace FactoryMesh.Cli.Watch;

/// <summary>The client methods the fleet hub calls (see the server's FleetClientMethods and API.md, "Live streams").</summary>
internal static class FleetEventNames
{
    public const string TrustChanged = "trustChanged";

    /// <summary>Carries an array: the latest sample of every node in the group, batched by the server.</summary>
    public const string Utilization = "utilization";

    public const string ReplicaPlaced = "replicaPlaced";
    public const string ReplicaEvicted = "replicaEvicted";
    public const string SiteSummary = "siteSummary";

    public static IReadOnlyList<string> All { get; } = [TrustChanged, Utilization, ReplicaPlaced, ReplicaEvicted, SiteSummary];
}
