using FactoryMesh.Contracts.Hub;

namespace FactoryMesh.Cli.Watch;

/// <summary>What a <c>watch</c> follows, and the hub call that subscribes to it.</summary>
/// <param name="Kind">site, node, tenant or model.</param>
/// <param name="Id">Its id (<c>tenant/model</c> for a model).</param>
/// <param name="SubscribeMethod">The hub method, e.g. <c>SubscribeSite</c>.</param>
/// <param name="SubscribeArguments">Its arguments.</param>
internal sealed record WatchTarget(string Kind, string Id, string SubscribeMethod, IReadOnlyList<object> SubscribeArguments)
{
    public static WatchTarget Site(string siteId) => new("site", siteId, FleetHubMethods.SubscribeSite, [siteId]);

    public static WatchTarget Node(string nodeId) => new("node", nodeId, FleetHubMethods.SubscribeNode, [nodeId]);

    public static WatchTarget Tenant(string tenantId) => new("tenant", tenantId, FleetHubMethods.SubscribeTenant, [tenantId]);

    public static WatchTarget Model(string tenantId, string modelId) => new("model", $"{tenantId}/{modelId}", FleetHubMethods.SubscribeModel, [tenantId, modelId]);

    public override string ToString() => $"{Kind} '{Id}'";
}
