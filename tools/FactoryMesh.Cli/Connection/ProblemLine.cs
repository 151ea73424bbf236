using System.Net;
using System.Text.Json;

namespace FactoryMesh.Cli.Connection;

/// <summary>
/// Turns an error answer (RFC 7807 problem+json: <c>title</c>, <c>detail</c>, <c>errors</c> per field) into the
/// one line fmctl prints: <c>404 Not found: Site 'x' does not exist.</c>, or for validation problems the fields
/// and their messages: <c>400 The request is not valid: gpuCount: Must be between 1 and 64.</c>, and for a placement
/// that cannot be made the constraints that bind: <c>409 No feasible placement exists: …; …</c>
/// </summary>
internal static class ProblemLine
{
    public static string Describe(HttpStatusCode status, string? body)
    {
        var (title, detail, fields, constraints) = Read(body);
        title = (title ?? DefaultTitle(status)).TrimEnd('.');
        var explanation = fields ?? constraints ?? detail ?? Hint(status);
        var code = (int)status;
        return explanation is null ? $"{code} {title}" : $"{code} {title}: {explanation}";
    }

    private static (string? Title, string? Detail, string? Fields, string? Constraints) Read(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null, null);
            }

            return (StringOf(root, "title"), StringOf(root, "detail"), FieldsOf(root), ConstraintsOf(root));
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's HTML page, say): the status alone says more than the markup would.
            return (null, null, null, null);
        }
    }

    // A placement that cannot be made (409) says which constraints bind: "constraint; constraint", in the server's order.
    private static string? ConstraintsOf(JsonElement root)
    {
        if (!root.TryGetProperty("bindingConstraints", out var constraints) || constraints.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var parts = constraints.EnumerateArray().Select(c => c.ToString()).Where(c => c.Length > 0).ToList();
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    // "field: message message; other: message", in the server's order.
    private static string? FieldsOf(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parts = errors.EnumerateObject()
            .Select(field => $"{field.Name}: {string.Join(' ', Messages(field.Value))}")
            .ToList();
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static IEnumerable<string> Messages(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().Select(m => m.ToString()),
        _ => [value.ToString()],
    };

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string DefaultTitle(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not found",
        _ => status.ToString(),
    };

    // The server's authentication and role checks answer with a bare status: say what the user can do about it.
    private static string? Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => $"the server did not accept the token (expired, or issued by another server); pass --token or set {TokenLocator.TokenVariable}",
        HttpStatusCode.Forbidden => "this token's role may not do that",
        HttpStatusCode.NotFound => "no such endpoint on this server; is --server pointing at FactoryMesh?",
        _ => null,
    };
}
