using System.Text.Json;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Output;

/// <summary>How a command's result looks with <c>--output table</c>.</summary>
internal interface ITableView
{
    IRenderable Render(JsonElement result);
}
