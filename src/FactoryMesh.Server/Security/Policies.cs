namespace FactoryMesh.Server.Security;

/// <summary>Authorization policy names. Every endpoint needs an authenticated caller unless it says otherwise.</summary>
public static class Policies
{
    /// <summary>Operators only.</summary>
    public const string Operator = "operator";

    /// <summary>Operators and schedulers.</summary>
    public const string OperatorOrScheduler = "operator-or-scheduler";

    /// <summary>Operators, and scrapers holding a metrics token.</summary>
    public const string MetricsReader = "metrics-reader";

    /// <summary>Operators, and the agent of the route's site (<see cref="RouteScope.SiteAgent"/>).</summary>
    public const string SiteAgent = "site-agent";

    /// <summary>The agent of the route's site only (<see cref="RouteScope.SiteAgentOnly"/>).</summary>
    public const string SiteAgentOnly = "site-agent-only";

    /// <summary>Operators, schedulers and the agent of the route's site (<see cref="RouteScope.SiteReader"/>).</summary>
    public const string SiteReader = "site-reader";

    /// <summary>Operators, schedulers and viewers of the route's tenant (<see cref="RouteScope.TenantReader"/>).</summary>
    public const string TenantReader = "tenant-reader";
}
