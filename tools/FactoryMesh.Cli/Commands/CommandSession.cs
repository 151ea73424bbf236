using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands;

/// <summary>
/// What one command invocation works with: the global options' values, the printer, and the API client. The
/// token is looked up only when the API is first used, so commands that never call the server (a future
/// <c>model encrypt</c> or <c>db init</c>) work without one.
/// </summary>
internal sealed class CommandSession : IDisposable
{
    private readonly string? _explicitToken;
    private readonly Lazy<FleetApiClient> _api;

    public CommandSession(ParseResult parse, GlobalOptions globals)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(globals);
        Server = parse.GetValue(globals.Server) ?? GlobalOptions.DefaultServer;
        Output = new ResultPrinter(parse.GetValue(globals.Output));
        _explicitToken = parse.GetValue(globals.Token);
        _api = new Lazy<FleetApiClient>(() => new FleetApiClient(Server, Token));
    }

    /// <summary>The server, ending with '/'.</summary>
    public Uri Server { get; }

    public ResultPrinter Output { get; }

    /// <summary>The bearer token; a usage failure when none can be found.</summary>
    public string Token => TokenLocator.Locate(_explicitToken);

    public FleetApiClient Api => _api.Value;

    public void Dispose()
    {
        if (_api.IsValueCreated)
        {
            _api.Value.Dispose();
        }
    }
}
