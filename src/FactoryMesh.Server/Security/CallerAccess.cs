using System.Security.Claims;

namespace FactoryMesh.Server.Security;

/// <summary>
/// Per-resource authorization of hub subscriptions (HTTP routes are judged by <see cref="RouteScopeHandler"/>): roles
/// say what kind of call is allowed, these say on which site or tenant.
/// </summary>
public static class CallerAccess
{
    /// <summary>True for an operator, or an agent whose token names <paramref name="siteId"/> (Kubernetes' NodeRestriction rule).</summary>
    public static bool MaySpeakForSite(this ClaimsPrincipal caller, string siteId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsInRole(Roles.Operator)
            || (caller.IsInRole(Roles.Agent) && string.Equals(caller.FindFirstValue(FleetClaims.Site), siteId, StringComparison.Ordinal));
    }

    /// <summary>True for an operator or scheduler, or a viewer whose token names <paramref name="tenantId"/>.</summary>
    public static bool MayReadTenant(this ClaimsPrincipal caller, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsInRole(Roles.Operator)
            || caller.IsInRole(Roles.Scheduler)
            || (caller.IsInRole(Roles.Viewer) && string.Equals(caller.FindFirstValue(FleetClaims.Tenant), tenantId, StringComparison.Ordinal));
    }
}
