using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.Core.Keys;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Replicas;
using Microsoft.Extensions.DependencyInjection;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// End to end with the real server: a scheduler encrypts a model under a fresh data key and places it; the agent of
/// the chosen node's site gets the key released to its attested TEE key, decrypts the artifact to the recorded digest,
/// and purges key and weights when an operator revokes the node.
/// </summary>
public sealed class ReplicaKeyReleaseTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private const string SiteId = "eu-par-1";
    private const string Tenant = "acme";

    [Fact]
    public async Task A_placed_encrypted_model_is_loaded_on_its_trusted_node_and_purged_when_the_node_is_revoked()
    {
        var artifacts = Directory.CreateTempSubdirectory("fm-agent-artifacts-").FullName;
        try
        {
            // As a scheduler: a tenant, a data key, the artifact encrypted under it.
            using var op = fixture.Server.Client(fixture.Server.OperatorToken);
            var issued = await (await op.PostAsJsonAsync(new Uri("/api/v1/tokens", UriKind.Relative), new { role = "scheduler" })).Content.ReadFromJsonAsync<JsonElement>();
            using var scheduler = fixture.Server.Client(issued.GetProperty("token").GetString()!);
            (await op.PutAsJsonAsync(new Uri($"/api/v1/tenants/{Tenant}", UriKind.Relative), new { allowedZones = new[] { "EU" } })).EnsureSuccessStatusCode();
            var dataKey = await (await scheduler.PostAsync(new Uri($"/api/v1/tenants/{Tenant}/datakeys", UriKind.Relative), null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            var key = Convert.FromBase64String(dataKey.GetProperty("key").GetString()!);
            var plaintext = RandomNumberGenerator.GetBytes((1024 * 1024) + 5);
            using var source = new MemoryStream(plaintext);
            using var sealedStream = new MemoryStream();
            var encrypted = await ArtifactCipher.EncryptAsync(source, sealedStream, key);
            CryptographicOperations.ZeroMemory(key);
            Directory.CreateDirectory(Path.Combine(artifacts, Tenant));
            await File.WriteAllBytesAsync(Path.Combine(artifacts, Tenant, "llama.fma"), sealedStream.ToArray());
            await File.WriteAllTextAsync(Path.Combine(artifacts, Tenant, "llama.sha256"), encrypted.PlaintextSha256 + "\n");

            var agent = await fixture.StartSiteAsync(SiteId, 1, "--artifacts", artifacts);
            await Eventually.HoldsAsync(
                async () => (await fixture.NodesAsync(SiteId)) is [var node] && node.GetProperty("trust").GetProperty("state").GetString() == "Trusted" && node.GetProperty("liveness").GetString() == "Ready",
                TimeSpan.FromSeconds(30),
                "the node registers and becomes Trusted and Ready");

            (await scheduler.PutAsJsonAsync(new Uri($"/api/v1/tenants/{Tenant}/models/llama", UriKind.Relative), new
            {
                gpuMemoryGiB = 80,
                tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_400, ["H200"] = 3_000, ["B200"] = 4_000 },
                replicas = 1,
                artifact = new { uri = "https://artifacts.example/llama.fma", sha256 = encrypted.PlaintextSha256, wrappedKey = dataKey.GetProperty("wrappedKey").GetString() },
            })).EnsureSuccessStatusCode();
            using var placed = await scheduler.PostAsync(new Uri($"/api/v1/tenants/{Tenant}/models/llama/placement", UriKind.Relative), null);
            Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
            var placement = await placed.Content.ReadFromJsonAsync<JsonElement>();
            var nodeId = placement.GetProperty("replicas")[0].GetProperty("nodeId").GetString()!;

            var replicas = agent.Services.GetRequiredService<ReplicaManager>();
            await Eventually.HoldsAsync(
                () => replicas.StateOf(nodeId, Tenant, "llama") is { Status: ReplicaStatus.Loaded },
                TimeSpan.FromSeconds(15),
                $"the agent loads the replica; states: {string.Join("; ", replicas.States)}");
            var loaded = replicas.StateOf(nodeId, Tenant, "llama")!;
            Assert.Equal(plaintext, await File.ReadAllBytesAsync(loaded.WeightsPath!));
            Assert.True(replicas.IsLoaded(nodeId, Tenant, "llama"));

            // Neither the data key nor the weights in clear ever reach the server's disk or its log.
            var keyText = dataKey.GetProperty("key").GetString()!;
            var keyBytes = Convert.FromBase64String(keyText);
            var weightsSample = plaintext.AsMemory(4096, 64);
            foreach (var file in Directory.EnumerateFiles(fixture.Server.DataDirectory, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.False(bytes.AsSpan().IndexOf(keyBytes) >= 0 || bytes.AsSpan().IndexOf(weightsSample.Span) >= 0, $"{file} holds the data key or the weights");
                Assert.DoesNotContain(keyText, System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
            }

            Assert.DoesNotContain(keyText, fixture.Server.Output, StringComparison.Ordinal);

            // Revoked: the next heartbeat answer says Untrusted, and the agent purges.
            (await op.PostAsJsonAsync(new Uri($"/api/v1/nodes/{Uri.EscapeDataString(nodeId)}/revoke", UriKind.Relative), new { reason = "tamper alarm" })).EnsureSuccessStatusCode();
            await Eventually.HoldsAsync(() => replicas.StateOf(nodeId, Tenant, "llama") is null, TimeSpan.FromSeconds(10), "the revoked node's replica is purged");
            Assert.False(File.Exists(loaded.WeightsPath));
            Assert.False(replicas.IsLoaded(nodeId, Tenant, "llama"));
            Assert.Equal(1, agent.Services.GetRequiredService<AgentCounters>().ReplicasPurged);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
