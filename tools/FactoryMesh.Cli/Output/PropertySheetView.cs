using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Output;

/// <summary>
/// One resource as a two-column table of every field, nested fields named by their JSON path
/// (<c>profile.jurisdiction</c>, <c>trust.state</c>): the same names <c>--output json</c> and the API docs use,
/// and complete without a layout per resource.
/// </summary>
internal sealed class PropertySheetView : ITableView
{
    public static PropertySheetView Instance { get; } = new();

    public IRenderable Render(JsonElement result)
    {
        var table = new Table().Border(TableBorder.None).HideHeaders();
        table.AddColumn(new TableColumn("field") { Padding = new Padding(0, 0, 3, 0) });
        table.AddColumn(new TableColumn("value") { Padding = new Padding(0, 0, 0, 0) });
        foreach (var (name, value) in Flatten(string.Empty, result))
        {
            table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), value);
        }

        return table;
    }

    private static IEnumerable<(string Name, IRenderable Value)> Flatten(string prefix, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    foreach (var row in Flatten(prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}", property.Value))
                    {
                        yield return row;
                    }
                }

                break;
            case JsonValueKind.Array when value.EnumerateArray().Any(item => item.ValueKind is JsonValueKind.Object or JsonValueKind.Array):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    foreach (var row in Flatten($"{prefix}[{index++}]", item))
                    {
                        yield return row;
                    }
                }

                break;
            default:
                yield return (prefix.Length == 0 ? "value" : prefix, Cell(prefix, value));
                break;
        }
    }

    // Trust states are what operators scan for, so they get their badge wherever they appear; times are shown
    // to the second in UTC rather than with the server's seven decimals.
    private static IRenderable Cell(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && name.EndsWith("state", StringComparison.OrdinalIgnoreCase))
        {
            return TrustBadge.For(value.GetString());
        }

        if (value.ValueKind == JsonValueKind.String && name.EndsWith("At", StringComparison.Ordinal) && value.TryGetDateTimeOffset(out _))
        {
            return new Text(JsonFields.TimeText(value));
        }

        return new Text(JsonFields.Display(value));
    }
}
