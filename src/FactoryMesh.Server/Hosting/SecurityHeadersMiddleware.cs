namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Headers that keep the browser from running anything the dashboard did not ship: scripts, styles and connections
/// from this origin only (no inline script, so injected markup cannot execute), no framing, no MIME sniffing, no
/// referrer carrying a URL to another site.
/// </summary>
public static class SecurityHeadersMiddleware
{
    /// <summary>The Content-Security-Policy every answer carries.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The policy under the Orleans Dashboard (<c>/orleans</c>, operators only), which is not ours to change: the same,
    /// plus its own icon fonts (some inline, as data: URIs) and the one style attribute its page ships, allowed by hash (a changed page is refused,
    /// and the browser test that reads the console for violations fails).
    /// </summary>
    public const string OrleansDashboardContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-hashes' 'sha256-eq2af6QS2pzGTyxQ6dj75iyyFqwRgxGGxEAjoqE24f0='; " +
        "img-src 'self'; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers to every response.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(Telemetry.OrleansDashboardExtensions.Path, StringComparison.Ordinal)
                    ? OrleansDashboardContentSecurityPolicy
                    : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            await next(context);
        });
}
