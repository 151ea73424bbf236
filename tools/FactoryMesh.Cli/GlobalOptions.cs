using System.CommandLine;
using System.CommandLine.Parsing;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli;

/// <summary>
/// <c>--server</c>, <c>--token</c> and <c>--output</c>: accepted before the noun or after the verb (they are
/// recursive), so <c>fmctl sites list --output json</c> and <c>fmctl --output json sites list</c> both work.
/// </summary>
internal sealed class GlobalOptions
{
    /// <summary>Where the embedded default listens when nobody says otherwise.</summary>
    public static readonly Uri DefaultServer = new("http://localhost:5080/");

    public GlobalOptions()
    {
        Server = new Option<Uri?>("--server")
        {
            // The default is stated in the description rather than by a default value, which help would print as
            // "http://localhost:5080/" and "Table": not what a user types.
            Description = $"The FactoryMesh server [default: {DefaultServer.AbsoluteUri.TrimEnd('/')}]",
            HelpName = "URL",
            Recursive = true,
            CustomParser = ParseServer,
        };
        Token = new Option<string?>("--token")
        {
            Description = $"Bearer token [default: ${TokenLocator.TokenVariable}, else <data>/{TokenLocator.OperatorTokenFile} of the embedded server]",
            HelpName = "TOKEN",
            Recursive = true,
        };
        Output = new Option<OutputFormat>("--output", "-o")
        {
            Description = "table (for people) or json (the API's JSON, for scripts) [default: table]",
            HelpName = "table|json",
            Recursive = true,
            CustomParser = ParseOutput,
        };
    }

    /// <summary>The server URL, ending with '/'; null when not given (then <see cref="DefaultServer"/>).</summary>
    public Option<Uri?> Server { get; }

    public Option<string?> Token { get; }

    /// <summary>The output format; <see cref="OutputFormat.Table"/> (the enum's default) when not given.</summary>
    public Option<OutputFormat> Output { get; }

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Server);
        root.Options.Add(Token);
        root.Options.Add(Output);
    }

    // Relative paths resolve against the server URL, so it must end with '/' (a server behind a path prefix works too).
    private static Uri? ParseServer(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            result.AddError($"--server: '{text}' is not an http:// or https:// URL.");
            return DefaultServer;
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static OutputFormat ParseOutput(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        switch (text.ToUpperInvariant())
        {
            case "TABLE":
                return OutputFormat.Table;
            case "JSON":
                return OutputFormat.Json;
            default:
                result.AddError($"--output: '{text}' is not a format; use table or json.");
                return OutputFormat.Table;
        }
    }
}
