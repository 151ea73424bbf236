using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.Core.Keys;
using FactoryMesh.Server.Security;
using FactoryMesh.SimulatedTee;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Server.Tests;

/// <summary>Encrypted models and attested key release, as a scheduler and a site agent use them.</summary>
[Collection(ServerCollection.Name)]
public sealed class KeyReleaseApiTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    private sealed record Setup(HttpClient Operator, HttpClient Agent, string TenantId, string SiteId, string NodeId, SimulatedTeeDevice Device, byte[] Ciphertext, string Sha256) : IDisposable
    {
        public string KeyUrl(string nodeId, string? tenantId = null, string model = "llama") => $"{Fleet.NodeUrl(nodeId)}/keys/{tenantId ?? TenantId}/{model}";

        public object Request(long epoch = 1, JsonElement? teeKey = null) => new { teePublicKey = teeKey ?? JsonDocument.Parse(Device.TeePublicJwk.ToJsonString()).RootElement, placementEpoch = epoch };

        public void Dispose()
        {
            Operator.Dispose();
            Agent.Dispose();
            Device.Dispose();
        }
    }

    // A trusted node holding the one replica of an encrypted model, whose artifact the scheduler encrypted with a fresh data key.
    private async Task<Setup> PlacedEncryptedModelAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var (tenantId, siteId, zone) = ($"t-{run}", $"s-{run}", $"Z-{run.ToUpperInvariant()}");
        var op = Server.Operator();
        (await op.PutAsJsonAsync($"/api/v1/sites/{siteId}", new { jurisdiction = "DE", zones = new[] { zone }, electricityUsdPerKwh = 0.2, pue = 1.2, carbonGramsPerKwh = 380 })).EnsureSuccessStatusCode();
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", new { allowedZones = new[] { zone } }));
        var agent = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        var nodeId = $"{siteId}/node-1";
        await ApiAssert.OkJsonAsync(await agent.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));
        await ApiAssert.OkJsonAsync(await agent.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-2", SimulatedFleet.SimNode));
        var device = Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await SimulatedFleet.AttestAsync(agent, device, nodeId);

        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        var dataKey = await ApiAssert.OkJsonAsync(await scheduler.PostAsync($"/api/v1/tenants/{tenantId}/datakeys", null));
        var key = Convert.FromBase64String(dataKey.GetProperty("key").GetString()!);
        var plaintext = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 123);
        using var source = new MemoryStream(plaintext);
        using var encrypted = new MemoryStream();
        var result = await ArtifactCipher.EncryptAsync(source, encrypted, key);
        Array.Clear(key);
        await ApiAssert.OkJsonAsync(await scheduler.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/llama", new
        {
            gpuMemoryGiB = 80,
            tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_400 },
            replicas = 1,
            artifact = new { uri = "https://artifacts.example/llama.fma", sha256 = result.PlaintextSha256, wrappedKey = dataKey.GetProperty("wrappedKey").GetString() },
        }));
        var placement = await ApiAssert.OkJsonAsync(await scheduler.PostAsync($"/api/v1/tenants/{tenantId}/models/llama/placement", null));
        Assert.Equal(nodeId, placement.GetProperty("replicas")[0].GetProperty("nodeId").GetString());
        return new Setup(op, agent, tenantId, siteId, nodeId, device, encrypted.ToArray(), result.PlaintextSha256);
    }

    private static async Task<JsonElement> HeartbeatAsync(Setup setup)
    {
        var node = await ApiAssert.OkJsonAsync(await setup.Operator.GetAsync(Fleet.NodeUrl(setup.NodeId)));
        var results = await ApiAssert.OkJsonAsync(await setup.Agent.PostAsJsonAsync($"/api/v1/sites/{setup.SiteId}/heartbeats", new[] { Fleet.Heartbeat(setup.NodeId, node.GetProperty("epoch").GetInt64()) }));
        return results[0];
    }

    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        return problem.TryGetProperty("refusal", out var refusal) ? refusal.GetString()! : "forbidden";
    }

    [Fact]
    public async Task The_agent_unwraps_the_released_key_inside_its_tee_and_decrypts_the_artifact_to_the_recorded_digest()
    {
        using var setup = await PlacedEncryptedModelAsync();

        var released = await ApiAssert.OkJsonAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request()));

        Assert.Equal("ECDH-ES+A256KW", released.GetProperty("alg").GetString());
        using var teePrivate = ECDiffieHellman.Create(setup.Device.TeeKey.ExportParameters(includePrivateParameters: true));
        var dataKey = Jose.JWT.DecodeBytes(released.GetProperty("jwe").GetString(), teePrivate, Jose.JweAlgorithm.ECDH_ES_A256KW, Jose.JweEncryption.A256GCM);
        using var decrypted = new MemoryStream();
        var digest = await ArtifactCipher.DecryptAsync(new MemoryStream(setup.Ciphertext), decrypted, dataKey);
        Assert.Equal(setup.Sha256, digest);

        // The data key never rests on the server's disk, in clear or base64.
        var keyText = Convert.ToBase64String(dataKey);
        foreach (var file in Directory.EnumerateFiles(Server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(bytes.AsSpan().IndexOf(dataKey) >= 0, $"{file} holds the data key");
            Assert.DoesNotContain(keyText, System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        }

        var audit = await ApiAssert.OkJsonAsync(await setup.Operator.GetAsync($"/api/v1/audit?nodeId={Uri.EscapeDataString(setup.NodeId)}"));
        Assert.Contains(audit.EnumerateArray(), r => r.GetProperty("entry").GetProperty("kind").GetString() == "key-release");
    }

    [Fact]
    public async Task Keys_are_refused_with_their_reason_and_every_refusal_is_audited()
    {
        using var setup = await PlacedEncryptedModelAsync();
        using var stranger = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        var strangerKey = JsonDocument.Parse(new Jose.Jwk(stranger, isPrivate: false).ToJson(Jose.JWT.DefaultSettings.JsonMapper)).RootElement;
        using var otherAgent = await Server.ClientInRoleAsync(Roles.Agent, site: $"{setup.SiteId}-x");

        Assert.Equal("TeeKeyMismatch", await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request(teeKey: strangerKey))));
        Assert.Equal("StaleAssignment", await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request(epoch: 2))));
        using var neighbour = Server.Vendor.IssueDevice("node-2", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await SimulatedFleet.AttestAsync(setup.Agent, neighbour, $"{setup.SiteId}/node-2");
        Assert.Equal("NoReplica", await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl($"{setup.SiteId}/node-2"), setup.Request())));
        Assert.Equal("UnknownModel", await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId, tenantId: "someone-else"), setup.Request())));
        Assert.Equal("forbidden", await RefusalAsync(await otherAgent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request())));
        Assert.Equal("forbidden", await RefusalAsync(await setup.Operator.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request())));

        await SimulatedFleet.AttestAsync(setup.Agent, setup.Device, setup.NodeId, debug: true); // failed appraisal: Untrusted
        Assert.Equal("NodeNotTrusted", await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request())));

        var audit = await ApiAssert.OkJsonAsync(await setup.Operator.GetAsync($"/api/v1/audit?nodeId={Uri.EscapeDataString(setup.NodeId)}"));
        var refusals = audit.EnumerateArray().Where(r => r.GetProperty("entry").GetProperty("kind").GetString() == "key-refusal").Select(r => r.GetProperty("entry").GetProperty("verdict").GetString()).ToList();
        Assert.Equal(["TeeKeyMismatch", "StaleAssignment", "UnknownModel", "NodeNotTrusted"], refusals);
    }

    [Fact]
    public async Task A_revoked_node_gets_no_key_and_a_replaced_assignment_can_never_fetch_it_again()
    {
        using var setup = await PlacedEncryptedModelAsync();
        await ApiAssert.OkJsonAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request()));
        var before = await HeartbeatAsync(setup);
        Assert.Equal("Trusted", before.GetProperty("trust").GetString());
        var assignment = Assert.Single(before.GetProperty("replicas").EnumerateArray());
        Assert.Equal((setup.TenantId, "llama", 1L), (assignment.GetProperty("tenantId").GetString(), assignment.GetProperty("modelId").GetString(), assignment.GetProperty("placementEpoch").GetInt64()));

        await ApiAssert.OkJsonAsync(await setup.Operator.PostAsJsonAsync($"{Fleet.NodeUrl(setup.NodeId)}/revoke", new { reason = "tamper alarm" }));

        // The next heartbeat answer tells the agent to purge: not Trusted, no replica.
        var after = await HeartbeatAsync(setup);
        Assert.Equal("Untrusted", after.GetProperty("trust").GetString());
        Assert.Empty(after.GetProperty("replicas").EnumerateArray());

        Assert.Equal("NodeNotTrusted", await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request())));
        await SimulatedFleet.AttestAsync(setup.Agent, setup.Device, setup.NodeId); // trusted again, but its replica was evicted on revocation
        var refusal = await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request()));
        Assert.True(refusal is "NoReplica" or "StaleAssignment", refusal);
        var datakeys = await setup.Operator.PostAsync($"/api/v1/tenants/{setup.TenantId}/datakeys", null);
        Assert.Equal("no-store", datakeys.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_wrapped_key_that_cannot_be_unwrapped_is_refused_and_audited_not_thrown()
    {
        using var setup = await PlacedEncryptedModelAsync();
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        var model = await ApiAssert.OkJsonAsync(await scheduler.GetAsync($"/api/v1/tenants/{setup.TenantId}/models/llama"));
        await ApiAssert.OkJsonAsync(await scheduler.PutAsJsonAsync($"/api/v1/tenants/{setup.TenantId}/models/llama", new
        {
            gpuMemoryGiB = 80,
            tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_400 },
            replicas = 1,
            artifact = new { uri = "https://artifacts.example/llama.fma", sha256 = setup.Sha256, wrappedKey = "bm90LWEtd3JhcHBlZC1rZXk" },
        }));

        Assert.Equal("KeyUnavailable", await RefusalAsync(await setup.Agent.PostAsJsonAsync(setup.KeyUrl(setup.NodeId), setup.Request(epoch: model.GetProperty("placementEpoch").GetInt64()))));
    }
}
