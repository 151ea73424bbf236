using System.Security.Claims;
using FactoryMesh.Core.Audit;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Grains.Abstractions;
using Microsoft.AspNetCore.Authorization;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The one place that decides whether a caller may act on the site or tenant a route names: roles say what kind of
/// call, this says on which site or tenant. A route value that is no valid id admits operators only (who then get the
/// handler's 400), so a malformed id can never widen an agent's or viewer's reach. An authenticated caller refused
/// here (another site's agent, an operator asking for a key, a viewer of another tenant) is written to the audit
/// ledger, at most once per caller, route and <see cref="AuditEvery"/>.
/// </summary>
public sealed class RouteScopeHandler(IGrainFactory grains, TimeProvider clock, RefusalAuditThrottle throttle) : AuthorizationHandler<RouteScopeRequirement>
{
    /// <summary>How often one caller's refusals on one route are audited; the rest are counted in the next entry.</summary>
    public static readonly TimeSpan AuditEvery = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RouteScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var caller = context.User;
        var site = SiteOf(http);
        var tenant = http.GetRouteValue("tenantId") as string;
        var admitted = requirement.Scope switch
        {
            RouteScope.SiteAgent => caller.IsInRole(Roles.Operator) || IsAgentOf(caller, site),
            RouteScope.SiteAgentOnly => IsAgentOf(caller, site),
            RouteScope.SiteReader => caller.IsInRole(Roles.Operator) || caller.IsInRole(Roles.Scheduler) || IsAgentOf(caller, site),
            RouteScope.TenantReader => caller.IsInRole(Roles.Operator) || caller.IsInRole(Roles.Scheduler) || IsViewerOf(caller, tenant),
            _ => false,
        };
        if (admitted)
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new AuthorizationFailureReason(this, requirement.Scope switch
        {
            RouteScope.SiteAgentOnly => $"Only the agent of site '{site}' may fetch keys for its nodes.",
            RouteScope.SiteReader => $"This token may not list the nodes of site '{site}'.",
            RouteScope.TenantReader => $"This token may not read tenant '{tenant}'.",
            _ => $"This token may not act for the nodes of site '{site}'.",
        }));
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? string.Empty;
        var subject = caller.FindFirstValue(FleetClaims.Subject) ?? "unknown";
        if (throttle.ShouldAudit($"{FleetClaims.FamilyOf(caller)}|{route}", clock.GetUtcNow(), AuditEvery) is { } refusals)
        {
            await grains.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendAsync(new AuditEntry(
                clock.GetUtcNow(), AuditKinds.AccessRefusal, null, subject, "refused",
                $"{http.Request.Method} {route} for site '{site ?? "-"}' tenant '{tenant ?? "-"}': a {caller.FindFirstValue(FleetClaims.Role)} token scoped to site '{caller.FindFirstValue(FleetClaims.Site) ?? "-"}' tenant '{caller.FindFirstValue(FleetClaims.Tenant) ?? "-"}' ({refusals} refusals)"));
        }
    }

    // The site a route acts on: its {siteId}, or the site part of its URL-encoded {nodeId}; null when neither is valid.
    private static string? SiteOf(HttpContext http)
    {
        if (http.GetRouteValue("siteId") is string siteId)
        {
            return ResourceName.IsValid(siteId) ? siteId : null;
        }

        return http.GetRouteValue("nodeId") is string nodeId && NodeId.TryParse(Uri.UnescapeDataString(nodeId), out var id) ? id.SiteId : null;
    }

    private static bool IsAgentOf(ClaimsPrincipal caller, string? siteId) =>
        siteId is not null && caller.IsInRole(Roles.Agent) && string.Equals(caller.FindFirstValue(FleetClaims.Site), siteId, StringComparison.Ordinal);

    private static bool IsViewerOf(ClaimsPrincipal caller, string? tenantId) =>
        tenantId is not null && ResourceName.IsValid(tenantId) && caller.IsInRole(Roles.Viewer)
        && string.Equals(caller.FindFirstValue(FleetClaims.Tenant), tenantId, StringComparison.Ordinal);
}
