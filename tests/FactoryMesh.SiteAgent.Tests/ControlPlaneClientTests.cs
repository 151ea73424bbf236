using System.Net;
using System.Net.Http.Json;
using FactoryMesh.SiteAgent.ControlPlane;
using Microsoft.Extensions.DependencyInjection;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The agent's HTTP pipeline to the control plane: token, retries, and the one call never retried.</summary>
public sealed class ControlPlaneClientTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fm-agent-http-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The control plane's side: answers from a script, and every request seen.
    private sealed class ScriptedServer(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _next;

        public List<(string Path, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
                return Task.FromResult(answers[Math.Min(_next++, answers.Length - 1)](request));
            }
        }
    }

    private (IControlPlane Client, ServiceProvider Services) ClientOf(ScriptedServer server, string tokenFile)
    {
        var builder = SiteAgentHost.CreateBuilder(["--server", "http://control-plane.test", "--token-file", tokenFile, "--site", Path.Combine(AppContext.BaseDirectory, "sites", "eu-par-1.json"), "--simulate", "1", "--data", _folder]);
        builder.Services.AddHttpClient<IControlPlane, ControlPlaneClient>().ConfigurePrimaryHttpMessageHandler(() => server);
        var services = builder.Services.BuildServiceProvider();
        return (services.GetRequiredService<IControlPlane>(), services);
    }

    private string TokenFile(string token)
    {
        var path = Path.Combine(_folder, "agent.token");
        File.WriteAllText(path, token + "\n");
        return path;
    }

    private static HttpResponseMessage Unavailable(HttpRequestMessage _) => new(HttpStatusCode.ServiceUnavailable);

    private static HttpResponseMessage Challenge(HttpRequestMessage _) =>
        new(HttpStatusCode.OK) { Content = JsonContent.Create(new { nonce = "bm9uY2U", expiresAt = DateTimeOffset.UtcNow.AddMinutes(2) }) };

    [Fact]
    public async Task Transient_failures_are_retried_with_the_token_on_every_attempt()
    {
        var server = new ScriptedServer(Unavailable, Challenge);
        var (client, services) = ClientOf(server, TokenFile("first-token"));
        using var _ = services;

        var challenge = await client.ChallengeAsync("eu-par-1/node-001", CancellationToken.None);

        Assert.Equal("bm9uY2U", challenge.Nonce);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(("/api/v1/nodes/eu-par-1%2Fnode-001/attestation/challenge", "Bearer first-token"), r));
    }

    [Fact]
    public async Task Evidence_is_never_resent_since_its_nonce_is_single_use()
    {
        var server = new ScriptedServer(Unavailable, Challenge);
        var (client, services) = ClientOf(server, TokenFile("t"));
        using var _ = services;

        await Assert.ThrowsAsync<ControlPlaneUnreachableException>(() => client.SubmitEvidenceAsync("eu-par-1/node-001", new EvidenceSubmission("sim-jws", "a.b.c"), CancellationToken.None));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_rejected_appraisal_is_a_result_with_the_failed_check_and_a_refusal_names_the_problem()
    {
        var server = new ScriptedServer(
            _ => new HttpResponseMessage(HttpStatusCode.UnprocessableEntity)
            {
                Content = JsonContent.Create(new { title = "The evidence was not accepted; the node is Untrusted.", detail = "GPU-1: debug is enabled", check = "DebugEnabled", trust = new { state = "Untrusted", reason = "DebugEnabled: GPU-1: debug is enabled" } }),
            },
            _ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = JsonContent.Create(new { title = "Not found", detail = "Site 'eu-par-1' does not exist." }) });
        var (client, services) = ClientOf(server, TokenFile("t"));
        using var _ = services;

        var rejected = await client.SubmitEvidenceAsync("eu-par-1/node-001", new EvidenceSubmission("sim-jws", "a.b.c"), CancellationToken.None);
        var refusal = await Assert.ThrowsAsync<ControlPlaneRefusedException>(() => client.RegisterNodesAsync("eu-par-1", [new NodeRegistration("H100", 8, 80, "SIM", 8400, 18).ToItem("node-001")], CancellationToken.None));

        Assert.Equal((false, "DebugEnabled", "Untrusted"), (rejected.Accepted, rejected.FailedCheck, rejected.Trust?.State));
        Assert.Equal(HttpStatusCode.NotFound, refusal.Status);
        Assert.Contains("Site 'eu-par-1' does not exist.", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotated_token_file_is_picked_up_without_a_restart()
    {
        var server = new ScriptedServer(Challenge);
        var tokenFile = TokenFile("old-token");
        var (client, services) = ClientOf(server, tokenFile);
        using var _ = services;

        await client.ChallengeAsync("eu-par-1/node-001", CancellationToken.None);
        File.WriteAllText(tokenFile, "new-token");
        File.SetLastWriteTimeUtc(tokenFile, DateTime.UtcNow.AddSeconds(1));
        await client.ChallengeAsync("eu-par-1/node-001", CancellationToken.None);

        Assert.Equal(["Bearer old-token", "Bearer new-token"], server.Requests.Select(r => r.Authorization));
    }
}
