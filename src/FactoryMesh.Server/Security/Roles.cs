namespace FactoryMesh.Server.Security;

/// <summary>The roles a caller's token can carry.</summary>
public static class Roles
{
    /// <summary>Everything.</summary>
    public const string Operator = "operator";

    /// <summary>Tenants, models and placement.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>A site agent: only its own site's nodes (claim <see cref="FleetClaims.Site"/>).</summary>
    public const string Agent = "agent";

    /// <summary>A tenant's dashboard: read and subscribe to one tenant (claim <see cref="FleetClaims.Tenant"/>).</summary>
    public const string Viewer = "viewer";

    /// <summary>A metrics scraper: <c>/metrics</c>, and nothing an operator alone may read.</summary>
    public const string Metrics = "metrics";

    /// <summary>Every role.</summary>
    public static readonly IReadOnlyList<string> All = [Operator, Scheduler, Agent, Viewer, Metrics];
}
