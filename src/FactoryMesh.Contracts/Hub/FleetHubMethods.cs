namespace FactoryMesh.Contracts.Hub;

/// <summary>The live hub's address and the methods a dashboard or <c>fmctl watch</c> calls on it.</summary>
public static class FleetHubMethods
{
    /// <summary>Where the hub listens.</summary>
    public const string Path = "/hubs/fleet";

    /// <summary>Follows the whole fleet (operators and schedulers): every trust change, site summary and replica move, no per-node utilization.</summary>
    public const string SubscribeFleet = "SubscribeFleet";

    /// <summary>Stops following the whole fleet.</summary>
    public const string UnsubscribeFleet = "UnsubscribeFleet";

    /// <summary>Follows a site: its trust changes, summaries and utilization.</summary>
    public const string SubscribeSite = "SubscribeSite";

    /// <summary>Follows a node.</summary>
    public const string SubscribeNode = "SubscribeNode";

    /// <summary>Follows a tenant's models.</summary>
    public const string SubscribeTenant = "SubscribeTenant";

    /// <summary>Follows one model.</summary>
    public const string SubscribeModel = "SubscribeModel";

    /// <summary>Stops following a site.</summary>
    public const string UnsubscribeSite = "UnsubscribeSite";

    /// <summary>Stops following a node.</summary>
    public const string UnsubscribeNode = "UnsubscribeNode";

    /// <summary>Stops following a tenant.</summary>
    public const string UnsubscribeTenant = "UnsubscribeTenant";

    /// <summary>Stops following a model.</summary>
    public const string UnsubscribeModel = "UnsubscribeModel";
}
