using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.LoadGen;

/// <summary>
/// One site's agent: its nodes, their epochs, and the agent's own <see cref="ControlPlaneClient"/> to register and
/// heartbeat them in batches of 1000, one request at a time, as an agent does. Samples vary per node and round so
/// the server does real work on each.
/// </summary>
internal sealed class SimulatedSite : IDisposable
{
    public const int Batch = 1000;

    private static readonly NodeRegistration Inventory = new("H100", 8, 80, "SIM", 10_200, 24);
    private readonly HttpClient _http;
    private readonly ControlPlaneClient _client;
    private readonly string[] _names;
    private readonly long[] _epochs;
    private int _round;

    public SimulatedSite(Uri server, string siteId, string agentToken, int nodes)
    {
        SiteId = siteId;
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
        _client = new ControlPlaneClient(_http);
        _names = Enumerable.Range(0, nodes).Select(i => $"node-{i:D6}").ToArray();
        _epochs = new long[nodes];
    }

    public string SiteId { get; }

    public int Nodes => _names.Length;

    /// <summary>Registers every node, a batch per request; a failure is recorded and the batch retried once after a pause.</summary>
    public async Task RegisterAsync(RequestLog log, CancellationToken cancellationToken)
    {
        for (var start = 0; start < _names.Length; start += Batch)
        {
            var count = Math.Min(Batch, _names.Length - start);
            var batch = Enumerable.Range(start, count).Select(i => Inventory.ToItem(_names[i])).ToArray();
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var began = Stopwatch.GetTimestamp();
                try
                {
                    var verdicts = await _client.RegisterNodesAsync(SiteId, batch, cancellationToken);
                    for (var i = 0; i < verdicts.Count; i++)
                    {
                        _epochs[start + i] = verdicts[i].Epoch;
                    }

                    log.Add(began, count, verdicts.Count(v => v.Registered), failed: false);
                    break;
                }
                catch (Exception exception) when (exception is ControlPlaneUnreachableException or ControlPlaneRefusedException)
                {
                    log.Add(began, count, 0, failed: true);
                    await Task.Delay(500, cancellationToken);
                }
            }
        }
    }

    /// <summary>Sends one heartbeat for every node, a batch per request, to the real endpoint or the baseline.</summary>
    public async Task HeartbeatRoundAsync(RequestLog log, bool baseline, CancellationToken cancellationToken)
    {
        var round = Interlocked.Increment(ref _round);
        for (var start = 0; start < _names.Length && !cancellationToken.IsCancellationRequested; start += Batch)
        {
            var count = Math.Min(Batch, _names.Length - start);
            var batch = new HeartbeatReport[count];
            var sampledAt = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                var node = start + i;
                var load = ((node * 7) + (round * 13)) % 100 / 100.0;
                batch[i] = new HeartbeatReport($"{SiteId}/{_names[node]}", _epochs[node], load, 640 * load, 2_000 + (8_000 * load), 5_000 * load, sampledAt);
            }

            var began = Stopwatch.GetTimestamp();
            try
            {
                var verdicts = baseline ? await SendToBaselineAsync(batch, cancellationToken) : await _client.SendHeartbeatsAsync(SiteId, batch, cancellationToken);
                log.Add(began, count, verdicts.Count(v => v.Accepted), failed: false);
            }
            catch (Exception exception) when (exception is ControlPlaneUnreachableException or ControlPlaneRefusedException or HttpRequestException or TaskCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                log.Add(began, count, 0, failed: true);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HeartbeatVerdict[]> SendToBaselineAsync(HeartbeatReport[] batch, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri($"{ApiRoutes.Root}/baseline/sites/{SiteId}/heartbeats", UriKind.Relative), batch, ControlPlaneJson.Options, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<HeartbeatVerdict[]>(ControlPlaneJson.Options, cancellationToken) ?? [];
    }
}
