using System.Text.Json;

namespace FactoryMesh.Cli.Output;

/// <summary>Prints a command's result in the chosen <see cref="OutputFormat"/>, always to standard output.</summary>
internal sealed class ResultPrinter(OutputFormat format)
{
    public OutputFormat Format => format;

    /// <summary>The server's JSON as it came (indented), or <paramref name="view"/> as a table.</summary>
    public void Show(JsonElement result, ITableView view)
    {
        if (format == OutputFormat.Json)
        {
            Console.Out.WriteLine(JsonText.ToIndented(result));
            return;
        }

        TerminalConsole.Create().Write(view.Render(result));
    }

    /// <summary>
    /// The server's JSON, or with <c>--output table</c> just <paramref name="value"/> on a line of its own and
    /// unwrapped, so a shell can capture it (<c>TOKEN=$(fmctl tokens issue …)</c>).
    /// </summary>
    public void ShowValue(JsonElement result, string value)
    {
        if (format == OutputFormat.Json)
        {
            Console.Out.WriteLine(JsonText.ToIndented(result));
            return;
        }

        Console.Out.WriteLine(value);
    }
}
