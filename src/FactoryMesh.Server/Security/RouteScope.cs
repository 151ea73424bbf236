namespace FactoryMesh.Server.Security;

/// <summary>Which callers a route admits, judged against the site or tenant its route values name.</summary>
public enum RouteScope
{
    /// <summary>Operators, and the agent of the route's site (the site of <c>{siteId}</c>, or of <c>{nodeId}</c>).</summary>
    SiteAgent,

    /// <summary>The agent of the route's site only: operators manage key policy, they never receive keys.</summary>
    SiteAgentOnly,

    /// <summary>Operators, schedulers, and the agent of the route's site.</summary>
    SiteReader,

    /// <summary>Operators, schedulers, and viewers of the route's <c>{tenantId}</c>.</summary>
    TenantReader,
}
