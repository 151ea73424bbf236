using System.Globalization;
using System.Text.Json;

namespace FactoryMesh.Cli.Output;

/// <summary>
/// Reads fields out of the server's JSON for tables. fmctl keeps no copy of the server's types: tables pick the
/// fields they show by name, and anything missing shows as empty rather than failing the command.
/// </summary>
internal static class JsonFields
{
    /// <summary>The value at <paramref name="path"/> (property names), or null when any step is missing or null.</summary>
    public static JsonElement? Field(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    /// <summary>The value at <paramref name="path"/> as text: strings as they are, lists joined with ", ".</summary>
    public static string Text(this JsonElement element, params string[] path) =>
        element.Field(path) is { } value ? Display(value) : string.Empty;

    /// <summary>A 0..1 fraction as a whole percentage.</summary>
    public static string Percent(this JsonElement element, params string[] path) =>
        element.Field(path) is { ValueKind: JsonValueKind.Number } value
            ? string.Create(CultureInfo.InvariantCulture, $"{value.GetDouble() * 100:0} %")
            : string.Empty;

    /// <summary>A number with <paramref name="format"/> (e.g. <c>0.##</c>).</summary>
    public static string Number(this JsonElement element, string format, params string[] path) =>
        element.Field(path) is { ValueKind: JsonValueKind.Number } value
            ? value.GetDouble().ToString(format, CultureInfo.InvariantCulture)
            : string.Empty;

    /// <summary>Watts shown as kilowatts, one decimal: sites draw tens of kW, nodes a few.</summary>
    public static string Kilowatts(this JsonElement element, params string[] path) =>
        element.Field(path) is { ValueKind: JsonValueKind.Number } value
            ? (value.GetDouble() / 1000).ToString("0.0", CultureInfo.InvariantCulture)
            : string.Empty;

    /// <summary>An RFC 3339 time, or null.</summary>
    public static DateTimeOffset? Time(this JsonElement element, params string[] path) =>
        element.Field(path) is { ValueKind: JsonValueKind.String } value && value.TryGetDateTimeOffset(out var time) ? time : null;

    /// <summary>An RFC 3339 time shown to the second, in UTC.</summary>
    public static string TimeText(this JsonElement element, params string[] path) =>
        element.Time(path) is { } time ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>Any scalar or list of scalars as text.</summary>
    public static string Display(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Display)),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => value.GetRawText(),
    };
}
