namespace FactoryMesh.Contracts.Http;

/// <summary>
/// Where the API's routes are: the one root the server maps every group under, and the paths clients call, with ids
/// escaped as the server expects (a node id holds a '/', so it travels URL-encoded as one segment).
/// </summary>
public static class ApiRoutes
{
    /// <summary>Every API route lives under it.</summary>
    public const string Root = "/api/v1";

    /// <summary><c>/api/v1/sites/{siteId}</c>.</summary>
    public static string Site(string siteId) => $"{Root}/sites/{Escape(siteId)}";

    /// <summary><c>/api/v1/sites/{siteId}/nodes</c>: batch registration and the site's node list.</summary>
    public static string SiteNodes(string siteId) => $"{Site(siteId)}/nodes";

    /// <summary><c>PUT</c>: registers one node of the site by its name.</summary>
    public static string SiteNode(string siteId, string name) => $"{SiteNodes(siteId)}/{Escape(name)}";

    /// <summary><c>/api/v1/sites/{siteId}/heartbeats</c>.</summary>
    public static string Heartbeats(string siteId) => $"{Site(siteId)}/heartbeats";

    /// <summary><c>/api/v1/nodes/{nodeId}</c>.</summary>
    public static string Node(string nodeId) => $"{Root}/nodes/{Escape(nodeId)}";

    /// <summary><c>/api/v1/nodes/{nodeId}/attestation/challenge</c>.</summary>
    public static string Challenge(string nodeId) => $"{Node(nodeId)}/attestation/challenge";

    /// <summary><c>/api/v1/nodes/{nodeId}/attestation</c>.</summary>
    public static string Attestation(string nodeId) => $"{Node(nodeId)}/attestation";

    /// <summary><c>/api/v1/nodes/{nodeId}/keys/{tenantId}/{modelId}</c>.</summary>
    public static string NodeKey(string nodeId, string tenantId, string modelId) => $"{Node(nodeId)}/keys/{Escape(tenantId)}/{Escape(modelId)}";

    /// <summary><c>POST</c>: re-plans many models together (<see cref="FleetPlacementBody"/>).</summary>
    public const string Placement = Root + "/placement";

    /// <summary><c>/api/v1/tokens/refresh</c>.</summary>
    public const string TokenRefresh = Root + "/tokens/refresh";

    private static string Escape(string id) => Uri.EscapeDataString(id);
}
