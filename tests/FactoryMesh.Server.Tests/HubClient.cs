using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace FactoryMesh.Server.Tests;

/// <summary>A dashboard's connection to the fleet hub, recording every event it receives, per client method.</summary>
public sealed class HubClient : IAsyncDisposable
{
    private static readonly string[] Methods = ["trustChanged", "utilization", "replicaPlaced", "replicaEvicted", "siteSummary", "subscriptionEnded"];
    private readonly Dictionary<string, Channel<JsonElement>> _received = Methods.ToDictionary(m => m, _ => Channel.CreateUnbounded<JsonElement>());

    private Exception? _closedBy;

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        connection.Closed += exception =>
        {
            _closedBy = exception ?? new InvalidOperationException("closed without an error");
            return Task.CompletedTask;
        };
        foreach (var method in Methods)
        {
            connection.On<JsonElement>(method, e => _received[method].Writer.TryWrite(e));
        }
    }

    /// <summary>The underlying connection.</summary>
    public HubConnection Connection { get; }

    /// <summary>Connects to the in-process test server with <paramref name="token"/>.</summary>
    public static Task<HubClient> ConnectAsync(ServerFactory server, string token)
    {
        ArgumentNullException.ThrowIfNull(server);
        return ConnectAsync(new Uri(server.Server.BaseAddress, "/hubs/fleet"), token, o =>
        {
            o.HttpMessageHandlerFactory = _ => server.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
        });
    }

    /// <summary>Connects to a server listening on <paramref name="hubUrl"/> over WebSockets, the token in the query string.</summary>
    public static Task<HubClient> ConnectAsync(Uri hubUrl, string token, Action<HttpConnectionOptions>? configure = null) =>
        StartAsync(new HubConnectionBuilder()
            .WithUrl(hubUrl, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                configure?.Invoke(o);
                if (o.Transports != HttpTransportType.WebSockets)
                {
                    o.SkipNegotiation = false;
                }
            })
            .Build());

    /// <summary>The next event of <paramref name="method"/> matching <paramref name="match"/>, within 15 s.</summary>
    public Task<JsonElement> NextAsync(string method, Func<JsonElement, bool>? match = null, string? waitingFor = null) =>
        NextAsync(method, TimeSpan.FromSeconds(15), match, waitingFor);

    /// <summary>The next event of <paramref name="method"/> matching <paramref name="match"/>, within <paramref name="within"/>.</summary>
    public async Task<JsonElement> NextAsync(string method, TimeSpan within, Func<JsonElement, bool>? match = null, string? waitingFor = null)
    {
        using var timeout = new CancellationTokenSource(within);
        var skipped = 0;
        JsonElement? lastSkipped = null;
        try
        {
            while (true)
            {
                var received = await _received[method].Reader.ReadAsync(timeout.Token);
                if (match is null || match(received))
                {
                    return received;
                }

                skipped++;
                lastSkipped = received;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{method}' event {waitingFor ?? string.Empty} arrived within {within.TotalSeconds:0} s " +
                $"({skipped} others did{(lastSkipped is { } last ? $", the last {last}" : string.Empty)}; connection {Connection.State}{(_closedBy is { } closed ? $", closed by {closed.GetType().Name}: {closed.Message}" : string.Empty)}).");
        }
    }

    /// <summary>Every event of <paramref name="method"/> received and not yet read.</summary>
    public IReadOnlyList<JsonElement> Drain(string method)
    {
        var events = new List<JsonElement>();
        while (_received[method].Reader.TryRead(out var received))
        {
            events.Add(received);
        }

        return events;
    }

    /// <summary>Calls a hub method, e.g. <c>SubscribeSite</c>.</summary>
    public Task InvokeAsync(string method, params object[] arguments) => Connection.InvokeCoreAsync(method, arguments);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private static async Task<HubClient> StartAsync(HubConnection connection)
    {
        var client = new HubClient(connection);
        await connection.StartAsync();
        return client;
    }
}
