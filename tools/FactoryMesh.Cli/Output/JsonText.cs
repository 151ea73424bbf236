using System.Text.Encodings.Web;
using System.Text.Json;

namespace FactoryMesh.Cli.Output;

/// <summary>
/// JSON as fmctl writes it: the server's own JSON re-indented for <c>--output json</c>, or compact for one line per
/// watch event. Text is not HTML-escaped (no <c>\u0027</c> for an apostrophe): it goes to a terminal or a pipe, not a page.
/// </summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToIndented(JsonElement value) => JsonSerializer.Serialize(value, Indented);

    public static string ToLine(JsonElement value) => JsonSerializer.Serialize(value, Compact);

    /// <summary>Any object (an anonymous one, say) as an element, named the API's way (camelCase).</summary>
    public static JsonElement ToElement(object value) => JsonSerializer.SerializeToElement(value, value.GetType(), JsonSerializerOptions.Web);
}
