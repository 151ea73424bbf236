using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Output;

/// <summary>A list result (a JSON array) as one table row per item.</summary>
internal sealed class ListView(string emptyText, params ListColumn[] columns) : ITableView
{
    public IRenderable Render(JsonElement result)
    {
        var items = result.ValueKind == JsonValueKind.Array ? result.EnumerateArray().ToList() : [result];
        if (items.Count == 0)
        {
            return new Text(emptyText);
        }

        // Borderless, like kubectl and docker: rows stay easy to read and to cut with awk.
        var table = new Table().Border(TableBorder.None);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column.Header) { Alignment = column.Alignment, NoWrap = column.Alignment == Justify.Right, Padding = new Padding(0, 0, 3, 0) });
        }

        foreach (var item in items)
        {
            table.AddRow(columns.Select(column => column.Cell(item)));
        }

        return table;
    }
}
