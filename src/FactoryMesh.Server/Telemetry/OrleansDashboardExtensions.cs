using FactoryMesh.Server.Security;
using Orleans.Dashboard;

namespace FactoryMesh.Server.Telemetry;

/// <summary>
/// The official Orleans Dashboard at <c>/orleans</c>, for operators only. Its page fetches its data with plain browser
/// requests, which carry no bearer header; so an operator first opens a session
/// (<c>POST /api/v1/sessions/orleans-dashboard</c> with the operator token), which sets a one-hour operator token as
/// an HttpOnly, SameSite=Strict cookie scoped to <c>/orleans</c>: never sent to the API, nor from another site.
/// </summary>
public static class OrleansDashboardExtensions
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/orleans";

    /// <summary>The cookie holding the dashboard session's token.</summary>
    public const string CookieName = "factorymesh-orleans";

    /// <summary>How long a dashboard session lasts.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(1);

    /// <summary>True when <c>FactoryMesh:Telemetry:OrleansDashboard</c> is on.</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OrleansDashboard)}");

    /// <summary>Adds the dashboard's silo services when enabled.</summary>
    public static ISiloBuilder AddOrleansDashboardIfEnabled(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return IsEnabled(configuration) ? silo.AddDashboard() : silo;
    }

    /// <summary>The token of a dashboard session, for requests under <see cref="Path"/> that carry no bearer header.</summary>
    public static string? SessionToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments(Path, StringComparison.Ordinal) && request.Headers.Authorization.Count == 0
            ? request.Cookies[CookieName]
            : null;
    }

    /// <summary>Maps the dashboard (operators only) and the session endpoint, when enabled.</summary>
    public static WebApplication MapOrleansDashboardIfEnabled(this WebApplication app, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }

        app.MapOrleansDashboard(Path).RequireAuthorization(Policies.Operator);
        api.MapPost("/sessions/orleans-dashboard", OpenSession).WithTags("Telemetry").RequireAuthorization(Policies.Operator);
        return app;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.NoContent OpenSession(HttpContext context, TokenIssuer issuer)
    {
        var subject = context.User.FindFirst("sub")?.Value ?? "operator";
        var token = issuer.Issue($"{subject} (orleans dashboard)", Roles.Operator, site: null, tenant: null, SessionLifetime);
        context.Response.Cookies.Append(CookieName, token.Token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = Path,
            Expires = token.ExpiresAt,
        });
        return TypedResults.NoContent();
    }
}
