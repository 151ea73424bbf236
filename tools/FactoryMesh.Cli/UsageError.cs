using System.CommandLine;
using System.CommandLine.Parsing;

namespace FactoryMesh.Cli;

/// <summary>
/// A command line that does not parse, as one line: every error the parser found, and where to read more
/// (<c>Option '--pue' is required. (see: fmctl sites put --help)</c>). System.CommandLine's own answer would be
/// the errors followed by the whole help text, which buries the one thing that went wrong.
/// </summary>
internal static class UsageError
{
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var errors = parse.Errors.Select(error => error.Message).Distinct(StringComparer.Ordinal).ToList();

        // A mistyped word also leaves its command incomplete ("Required command was not provided."); the word is
        // the cause, so when there is one, only the errors about it are shown.
        var aboutUnknownWords = errors.Where(message => parse.UnmatchedTokens.Any(word => message.Contains($"'{word}'", StringComparison.Ordinal))).ToList();
        return $"{string.Join(' ', aboutUnknownWords.Count > 0 ? aboutUnknownWords : errors)} (see: {CommandPath(parse.CommandResult)} --help)";
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var symbol })
            {
                names.Insert(0, symbol is RootCommand ? "fmctl" : symbol.Name);
            }
        }

        return string.Join(' ', names);
    }
}
