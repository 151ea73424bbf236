using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// Hostile requests at every route family of a server of its own: random and malformed bodies, ids, query values and
/// JOSE strings, 10,000 per family. Never a 5xx, never a hang, and a refused request never changes what was stored:
/// canary resources (a site with a Trusted node, a tenant with a placed model) are probed after every refused request
/// aimed at them. Rate limits are widened here: they would otherwise answer most of the flood with 429 before it reaches
/// the handlers under test (RequestLimitsTests covers the limits themselves).
/// </summary>
public sealed class RouteFuzzTests(RouteFuzzFixture fixture) : IClassFixture<RouteFuzzFixture>
{
    private const int Cases = 10_000;
    private const string Site = RouteFuzzFixture.Site;
    private const string Tenant = RouteFuzzFixture.Tenant;
    private const string Model = RouteFuzzFixture.Model;
    private static readonly string Node = Uri.EscapeDataString($"{Site}/node-1");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private HttpClient Operator => fixture.Operator;

    private HttpClient Agent => fixture.Agent;

    [Fact]
    public Task Sites() => FuzzAsync(Gen.Frequency(
        (2, Mutation("PUT", Target(Site), id => $"/api/v1/sites/{id}", HostileInput.Json("jurisdiction", "zones", "electricityUsdPerKwh", "pue", "carbonGramsPerKwh"), SiteProbe)),
        (1, Read(id => $"/api/v1/sites/{id}")),
        (1, Read(id => $"/api/v1/sites/{id}/nodes"))));

    [Fact]
    public Task Nodes() => FuzzAsync(Gen.Frequency(
        (2, Mutation("PUT", Target("node-1"), id => $"/api/v1/sites/{Site}/nodes/{id}", HostileInput.Json("gpuModel", "gpuCount", "gpuMemoryGiB", "teeKind", "powerWatts", "costUsdPerHour", "epoch"), NodeProbe)),
        (2, Mutation("POST", Gen.Const(Site), _ => $"/api/v1/sites/{Site}/nodes", HostileInput.Json("nodeId", "gpuModel", "gpuCount", "gpuMemoryGiB", "teeKind", "powerWatts", "costUsdPerHour", "expectedEpoch"), NodeProbe)),
        (1, Read(id => $"/api/v1/nodes/{id}"))));

    [Fact]
    public Task Heartbeats() => FuzzAsync(
        Mutation("POST", Target(Site), id => $"/api/v1/sites/{id}/heartbeats", HostileInput.Json("nodeId", "epoch", "gpuUtilization", "gpuMemoryUsedGiB", "powerWatts", "tokensPerSecond"), NodeProbe, agent: true));

    [Fact]
    public Task Attestation()
    {
        var evidence = Gen.Select(HostileInput.Text, HostileInput.Jose, (format, token) => JsonSerializer.Serialize(new { format, evidence = token }));
        return FuzzAsync(Gen.Frequency(
            (3, Mutation("POST", Target(Node), id => $"/api/v1/nodes/{id}/attestation", Gen.Frequency((3, evidence), (1, HostileInput.Json("format", "evidence"))), NodeProbe, agent: true)),
            (1, Mutation("POST", HostileInput.Id, id => $"/api/v1/nodes/{id}/attestation/challenge", Gen.Const(string.Empty), NodeProbe, agent: true)),
            (1, Mutation("POST", HostileInput.Id, id => $"/api/v1/nodes/{id}/revoke", HostileInput.Json("reason"), NodeProbe)),
            (1, Mutation("POST", Gen.Const(string.Empty), _ => "/api/v1/attestation/revocations", HostileInput.Json("certificate", "reason"), NodeProbe))));
    }

    [Fact]
    public Task TenantsAndModels() => FuzzAsync(Gen.Frequency(
        (2, Mutation("PUT", Target(Tenant), id => $"/api/v1/tenants/{id}", HostileInput.Json("allowedJurisdictions", "allowedZones", "deniedJurisdictions", "requiredTeeKinds", "maxAttestationAgeSeconds", "weights", "budgetUsdPerHour"), TenantProbe)),
        (2, Mutation("PUT", Target(Model), id => $"/api/v1/tenants/{Tenant}/models/{id}", HostileInput.Json("gpuMemoryGiB", "tokensPerSecondByGpu", "replicas", "minSites", "artifact", "uri", "sha256", "wrappedKey"), ModelProbe)),
        (1, Mutation("POST", Target(Model), id => $"/api/v1/tenants/{Tenant}/models/{id}/placement", Gen.Const(string.Empty), ModelProbe)),
        (1, Read(id => $"/api/v1/tenants/{id}"))));

    [Fact]
    public Task KeysAndTokens() => FuzzAsync(Gen.Frequency(
        (2, Mutation("POST", Target(Model), id => $"/api/v1/nodes/{Node}/keys/{Tenant}/{id}", HostileInput.Json("teePublicKey", "placementEpoch", "kty", "crv", "x", "y"), ModelProbe, agent: true)),
        (2, Mutation("POST", Gen.Const(string.Empty), _ => "/api/v1/tokens", HostileInput.Json("role", "site", "tenant", "subject", "lifetimeHours"), ModelProbe)),
        (1, Mutation("POST", HostileInput.Id, id => $"/api/v1/tokens/{id}/revoke", HostileInput.Json("reason"), ModelProbe))));

    [Fact]
    public Task Audit() => FuzzAsync(Gen.Select(HostileInput.Text, HostileInput.Number, HostileInput.Number, HostileInput.Text, (node, after, limit, since) =>
        new FuzzRequest("GET", $"/api/v1/audit?nodeId={Uri.EscapeDataString(Cap(node))}&since={Uri.EscapeDataString(Cap(since))}&after={Uri.EscapeDataString(after)}&limit={Uri.EscapeDataString(limit)}", null, false, null)));

    private static Gen<string> Target(string canary) => Gen.Frequency((1, Gen.Const(canary)), (3, HostileInput.Id));

    private static Gen<FuzzRequest> Read(Func<string, string> path) =>
        HostileInput.Id.Select(id => new FuzzRequest("GET", path(id), null, false, null));

    private static Gen<FuzzRequest> Mutation(string method, Gen<string> ids, Func<string, string> path, Gen<string> bodies, string probe, bool agent = false) =>
        Gen.Select(ids, bodies, (id, body) => new FuzzRequest(method, path(id), body, agent, probe));

    private static string Cap(string text) => text.Length > 500 ? text[..500] : text;

    private const string SiteProbe = $"/api/v1/sites/{Site}";
    private static readonly string NodeProbe = $"/api/v1/nodes/{Node}";
    private const string TenantProbe = $"/api/v1/tenants/{Tenant}";
    private const string ModelProbe = $"/api/v1/tenants/{Tenant}/models/{Model}";

    private async Task FuzzAsync(Gen<FuzzRequest> requests)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var probe in new[] { SiteProbe, NodeProbe, TenantProbe, ModelProbe })
        {
            stored[probe] = await StateAsync(probe);
        }

        var gate = new SemaphoreSlim(1, 1); // one request at a time: a probe must see only its own request's effect
        await requests.SampleAsync(async request =>
        {
            await gate.WaitAsync();
            try
            {
                using var timeout = new CancellationTokenSource(Patience);
                using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
                if (request.Body is { Length: > 0 } body)
                {
                    message.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                using var response = await SendAsync(request.AsAgent ? Agent : Operator, message, timeout.Token);
                if (response is null)
                {
                    return;
                }

                var status = (int)response.StatusCode;
                Assert.True(status < 500, $"{request.Method} {request.Path} answered {status}: {await response.Content.ReadAsStringAsync()}");
                if (request.Probe is { } probe)
                {
                    var now = await StateAsync(probe);
                    if (status >= 400)
                    {
                        Assert.True(stored[probe] == now, $"{request.Method} {request.Path} was refused ({status}) yet changed {probe}");
                    }

                    stored[probe] = now; // an accepted request may change it: the new state is the one to keep
                }
            }
            finally
            {
                gate.Release();
            }
        }, iter: Cases, threads: 2, print: r => $"{r.Method} {Cap(r.Path)} {Cap(r.Body ?? string.Empty)}");
    }

    // The in-process test host refuses to carry a path with an encoded NUL (Kestrel answers it with 400 before routing):
    // such a request never reaches the server, so there is nothing of the server's to judge.
    private static async Task<HttpResponseMessage?> SendAsync(HttpClient client, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(message, cancellationToken);
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("null characters", StringComparison.Ordinal))
        {
            return null;
        }
    }

    // What a probe's resource durably is, as requests set it. Left out: what moves on its own (liveness, utilization,
    // times, and the replicas, which leave the canary node when it falls silent and come back elsewhere).
    private async Task<string> StateAsync(string probe)
    {
        using var response = await Operator.GetAsync(probe);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string[] kept = probe == NodeProbe
            ? ["inventory", "epoch", "trust"]
            : probe == SiteProbe ? ["profile"] : probe == TenantProbe ? ["policy"] : ["spec", "artifact"];
        return $"{(int)response.StatusCode} " + string.Join('|', kept.Select(k => json.TryGetProperty(k, out var v) ? v.GetRawText() : "-"));
    }

    private sealed record FuzzRequest(string Method, string Path, string? Body, bool AsAgent, string? Probe);
}
