using System.Security.Claims;
using FactoryMesh.Core.Trust;

using FactoryMesh.Server.Hosting;
using FactoryMesh.Server.Security;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.Server.Api;

/// <summary>
/// <c>POST /api/v1/baseline/sites/{siteId}/heartbeats</c>: the benchmark's baseline. It authenticates and authorizes
/// like the heartbeat endpoint, reads the same JSON body and answers a result of the same shape per item, but touches
/// no grain, so the load generator measures the pure HTTP + JSON cost of a heartbeat batch on the same server.
/// Mapped only when <c>FactoryMesh:Diagnostics:BaselineEndpoint</c> is true.
/// </summary>
public static class BaselineApi
{
    /// <summary>The configuration key that maps the endpoint.</summary>
    public const string EnabledKey = "FactoryMesh:Diagnostics:BaselineEndpoint";

    /// <summary>Maps the endpoint when configured.</summary>
    public static IEndpointRouteBuilder MapBaselineApi(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetValue(EnabledKey, false))
        {
            app.MapPost("/baseline/sites/{siteId}/heartbeats", PostHeartbeats).WithTags("Diagnostics").ExcludeFromDescription()
                .RequireAuthorization(Policies.SiteAgent).RequireRateLimiting(RateLimits.Agent).WithBodyLimit(RequestBodyLimit.Batch); // limited as the real route is, for a fair baseline
        }

        return app;
    }

    private static IResult PostHeartbeats(string siteId, IReadOnlyList<HeartbeatReport?> items)
    {
        if (items.Count is 0 or > ApiLimits.MaxHeartbeatBatch)
        {
            return Problems.Invalid("items", $"A batch holds 1 to {ApiLimits.MaxHeartbeatBatch} heartbeats; this one holds {items.Count}.");
        }

        return TypedResults.Ok(items.Select(i => new HeartbeatVerdict(i?.NodeId ?? string.Empty, true, null, null, nameof(TrustState.Unknown), [])).ToArray());
    }
}
