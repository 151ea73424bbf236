using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Turns a body that cannot be read (malformed JSON, a string where a number belongs) into a validation
/// problem naming the field, instead of a bare 400.
/// </summary>
public sealed class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var json = badRequest.InnerException as JsonException;
        var field = json?.Path is { Length: > 0 } path ? ToFieldName(path) : "body";
        httpContext.Response.StatusCode = badRequest.StatusCode;
        var details = new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [json is null ? badRequest.Message : "Not readable as the expected JSON type."],
        })
        {
            Title = "The request body is not valid.",
            Status = badRequest.StatusCode,
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details });
    }

    // JSON paths look like "$.items[3].gpuUtilization" or "$[3].epoch"; fields are named without the root.
    private static string ToFieldName(string path)
    {
        var trimmed = path.TrimStart('$').TrimStart('.');
        return trimmed.StartsWith('[') ? "items" + trimmed : trimmed.Length == 0 ? "body" : trimmed;
    }
}
