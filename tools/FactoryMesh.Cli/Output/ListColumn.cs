using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Output;

/// <summary>One column of a list table: its header and how a cell is made from one item of the server's JSON.</summary>
internal sealed record ListColumn(string Header, Func<JsonElement, IRenderable> Cell, Justify Alignment = Justify.Left)
{
    /// <summary>A column of plain text (never read as Spectre markup, so ids with '[' print as they are).</summary>
    public static ListColumn Text(string header, Func<JsonElement, string> text) =>
        new(header, item => new Text(text(item)));

    /// <summary>A right-aligned column of numbers.</summary>
    public static ListColumn Numeric(string header, Func<JsonElement, string> text) =>
        new(header, item => new Text(text(item)), Justify.Right);
}
