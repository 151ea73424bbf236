using FactoryMesh.Grains;
using Microsoft.AspNetCore.Diagnostics;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Answers 503 with a problem and <c>Retry-After</c> when a request failed because the cluster could not serve it for
/// now: its database is down or unreachable (the change was not stored, and will not be: see
/// <see cref="StorageFailureDeactivation"/>), or the silo holding the grain died and membership has not moved it yet.
/// A client retries; nothing is acknowledged that was not stored.
/// </summary>
public sealed partial class UnavailableProblemHandler(IProblemDetailsService problems, ILogger<UnavailableProblemHandler> logger) : IExceptionHandler
{
    /// <summary>What <c>Retry-After</c> says, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        string detail;
        if (StorageFailure.IsStorageFailure(exception))
        {
            detail = "The cluster's database could not be reached; nothing of this request was stored. Retry later.";
            LogStorageUnavailable(httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        }
        else if (exception is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
        {
            detail = "The silo serving this resource is leaving the cluster; its work moves to another silo. Retry later.";
            LogSiloUnavailable(httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
        }
        else
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Title = "Temporarily unavailable.",
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = detail,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: storage unavailable ({Reason})")]
    private partial void LogStorageUnavailable(string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Failure} while the cluster's membership changes")]
    private partial void LogSiloUnavailable(string method, string path, string failure);
}
