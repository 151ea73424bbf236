using System.Text.Json;
using System.Threading.Channels;
using FactoryMesh.Cli.Connection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace FactoryMesh.Cli.Watch;

/// <summary>
/// A subscription on the fleet hub (<c>/hubs/fleet</c>): connects with the token, subscribes to one
/// <see cref="WatchTarget"/>, and queues every event in arrival order. After a dropped connection it reconnects
/// and subscribes again (groups do not survive a new connection); when it gives up, <see cref="Failure"/> says why.
/// </summary>
internal sealed class FleetHubSession : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Uri _server;
    private readonly WatchTarget _target;
    private readonly Channel<FleetEventMessage> _events = Channel.CreateUnbounded<FleetEventMessage>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _closing;

    private FleetHubSession(Uri server, string token, WatchTarget target)
    {
        _server = server;
        _target = target;
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, ApiPaths.FleetHub), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .WithAutomaticReconnect()
            .Build();
        foreach (var name in FleetEventNames.All)
        {
            _connection.On<JsonElement>(name, data => _events.Writer.TryWrite(new FleetEventMessage(name, data, DateTimeOffset.UtcNow)));
        }

        _connection.Reconnected += _ => ResubscribeAsync();
        _connection.Closed += OnClosedAsync;
    }

    /// <summary>Events in arrival order; completes when the connection ends.</summary>
    public ChannelReader<FleetEventMessage> Events => _events.Reader;

    /// <summary>Why the connection ended, when the server or the network ended it rather than fmctl.</summary>
    public CliFailure? Failure { get; private set; }

    /// <summary>Connects and subscribes; a refused token or subscription is a <see cref="CliFailure"/>.</summary>
    public static async Task<FleetHubSession> OpenAsync(Uri server, string token, WatchTarget target, CancellationToken cancellationToken)
    {
        var session = new FleetHubSession(server, token, target);
        try
        {
            await session.ConnectAsync(cancellationToken);
            await session.SubscribeAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _connection.DisposeAsync();
        _events.Writer.TryComplete();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connection.StartAsync(cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.StatusCode is { } status)
        {
            throw new CliFailure(ExitCodes.Refused, ProblemLine.Describe(status, body: null), exception);
        }
        catch (HttpRequestException exception)
        {
            throw TransportFailure.Unreachable(_server, exception);
        }
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connection.InvokeCoreAsync(_target.SubscribeMethod, [.. _target.SubscribeArguments], cancellationToken);
        }
        catch (HubException exception)
        {
            throw new CliFailure(ExitCodes.Refused, $"cannot watch {_target}: {HubErrorText(exception)}", exception);
        }
    }

    private async Task ResubscribeAsync()
    {
        try
        {
            await SubscribeAsync(CancellationToken.None);
        }
        catch (CliFailure failure)
        {
            // The token may have lost the right to see the target meanwhile: end the watch rather than show nothing.
            Failure = failure;
            _events.Writer.TryComplete();
        }
    }

    private Task OnClosedAsync(Exception? error)
    {
        if (!_closing)
        {
            Failure = new CliFailure(ExitCodes.Unreachable,
                $"lost the watch on {TransportFailure.Display(_server)}: {error?.Message ?? "the server closed the connection"}", error);
        }

        _events.Writer.TryComplete();
        return Task.CompletedTask;
    }

    // The client wraps the hub's message: "An unexpected error occurred invoking 'SubscribeSite' on the server.
    // HubException: Not allowed to watch site 'x'." Only the server's own words help the user.
    private static string HubErrorText(HubException exception)
    {
        const string Marker = "HubException: ";
        var message = exception.Message;
        var at = message.LastIndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? message : message[(at + Marker.Length)..];
    }
}
