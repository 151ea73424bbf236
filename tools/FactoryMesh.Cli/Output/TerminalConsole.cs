using Spectre.Console;

namespace FactoryMesh.Cli.Output;

/// <summary>The Spectre console tables are written to: standard output, sized for a pipe when it is not a terminal.</summary>
internal static class TerminalConsole
{
    // Redirected output has no width; Spectre would assume 80 columns and wrap rows, which breaks grep and awk.
    private const int RedirectedWidth = 240;

    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
