namespace FactoryMesh.Server.Live;

/// <summary>SignalR group names. Groups only route; every subscription is authorized when it is made.</summary>
public static class FleetGroups
{
    /// <summary>The whole fleet's trust changes, site summaries and replica moves: what a fleet-wide dashboard follows, without the per-node utilization that grows with the fleet.</summary>
    public const string Fleet = "fleet";

    /// <summary>Everything about one site.</summary>
    public static string Site(string siteId) => $"site:{siteId}";

    /// <summary>Everything about one node.</summary>
    public static string Node(string nodeId) => $"node:{nodeId}";

    /// <summary>One tenant's replicas.</summary>
    public static string Tenant(string tenantId) => $"tenant:{tenantId}";

    /// <summary>One model's replicas.</summary>
    public static string Model(string tenantId, string modelId) => $"model:{tenantId}/{modelId}";

    /// <summary>
    /// A tenant's viewers watching a site or node group (<paramref name="target"/>): they get that target's trust,
    /// utilization and summaries, and only their own tenant's replica events there.
    /// </summary>
    public static string Viewer(string tenantId, string target) => $"viewer:{tenantId}:{target}";
}
