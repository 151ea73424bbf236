using FactoryMesh.Contracts.Identity;

namespace FactoryMesh.Server.Api;

/// <summary>Reads ids out of route values, where node ids arrive URL-encoded (<c>eu-fra-1%2Fnode-007</c>).</summary>
public static class RouteNames
{
    /// <summary>The node id in a route value, decoded, or null when it is not a node id.</summary>
    public static NodeId? NodeIdFrom(string routeValue) =>
        NodeId.TryParse(Uri.UnescapeDataString(routeValue), out var nodeId) ? nodeId : null;

    /// <summary>
    /// The node addressed under a site: either its full id (<c>{siteId}/{name}</c>, encoded) or its bare name.
    /// Null when it is malformed or names another site.
    /// </summary>
    public static NodeId? NodeIdUnderSite(string siteId, string routeValue)
    {
        var decoded = Uri.UnescapeDataString(routeValue);
        if (!decoded.Contains('/', StringComparison.Ordinal))
        {
            decoded = $"{siteId}/{decoded}";
        }

        return NodeId.TryParse(decoded, out var nodeId) && nodeId.SiteId == siteId ? nodeId : null;
    }
}
