namespace FactoryMesh.Contracts.Hub;

/// <summary>The client methods the fleet hub calls, as dashboards register them.</summary>
public static class FleetClientMethods
{
    /// <summary>A node's trust changed.</summary>
    public const string TrustChanged = "trustChanged";

    /// <summary>A batch of node measurements.</summary>
    public const string Utilization = "utilization";

    /// <summary>A replica was placed.</summary>
    public const string ReplicaPlaced = "replicaPlaced";

    /// <summary>A replica was evicted.</summary>
    public const string ReplicaEvicted = "replicaEvicted";

    /// <summary>A site's summary.</summary>
    public const string SiteSummary = "siteSummary";

    /// <summary>A viewer's subscription ended because its tenant no longer has a replica there (<see cref="SubscriptionEnded"/>).</summary>
    public const string SubscriptionEnded = "subscriptionEnded";
}
