using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace FactoryMesh.Server.Hosting;

/// <summary>Rate limits per caller and request-body limits per route, both answered as problem details.</summary>
public static class RequestLimitsExtensions
{
    /// <summary>Adds the rate-limit policies of <see cref="RateLimits"/>.</summary>
    public static WebApplicationBuilder AddFactoryMeshRequestLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection("FactoryMesh:RateLimits");
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = RejectAsync;
            foreach (var (policy, (permitsPerSecond, burst)) in RateLimits.Defaults)
            {
                var perSecond = section.GetValue($"{policy}:PermitsPerSecond", permitsPerSecond);
                var bucket = section.GetValue($"{policy}:Burst", burst);
                limiter.AddPolicy(policy, context => RateLimitPartition.GetTokenBucketLimiter(Caller(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = bucket,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            }
        });
        return builder;
    }

    /// <summary>Enforces the body limits and the rate limits; after authentication, so limits are per caller.</summary>
    public static WebApplication UseFactoryMeshRequestLimits(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(EnforceBodyLimitAsync);
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Sets the largest request body <paramref name="endpoint"/> accepts.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder endpoint, long bytes)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RequestBodyLimit(bytes));

    private static string Caller(HttpContext context) =>
        context.User.FindFirst("jti")?.Value is { } tokenId
            ? $"token:{tokenId}"
            : $"address:{context.Connection.RemoteIpAddress}";

    // A declared length over the limit is refused before a byte is read; a streamed body is capped by the server
    // (Kestrel stops reading at the limit), which the exception handler answers as 413 too.
    private static async Task EnforceBodyLimitAsync(HttpContext context, RequestDelegate next)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.Bytes ?? RequestBodyLimit.Default;
        if (context.Request.ContentLength > limit)
        {
            await Results.Problem(
                $"The request body is {context.Request.ContentLength} bytes; this route accepts at most {limit}.",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large.").ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            "Too many requests from this caller on this route; retry after the time in Retry-After.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Rate limited.").ExecuteAsync(context);
    }
}
