using System.Net.Http.Json;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.Contracts.Attestation;
using FactoryMesh.Contracts.Http;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// The shared wire contract (<c>FactoryMesh.Contracts</c>) through the real API, serialized as the agent serializes it
/// (web defaults: camelCase): what a client sends is what the server reads, and what the server answers reads back
/// into the same records with nothing lost, at the paths <see cref="ApiRoutes"/> builds.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ContractRoundTripTests(ServerFixture fixture)
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Heartbeats_challenges_and_their_answers_round_trip_through_the_contract_records()
    {
        using var op = fixture.Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        using var agent = await fixture.Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        var epoch = await Fleet.RegisterNodeAsync(agent, siteId, "node-1");
        var nodeId = $"{siteId}/node-1";

        var sampledAt = DateTimeOffset.UtcNow.AddSeconds(-3);
        var batch = new[]
        {
            new HeartbeatReport(nodeId, epoch, 0.42, 120, 4_200, 1_500, sampledAt),
            new HeartbeatReport(nodeId.Replace("node-1", "node-9", StringComparison.Ordinal), 1, 0.1, 1, 1, 1, sampledAt),
            new HeartbeatReport(nodeId.Replace("node-1", "node-2", StringComparison.Ordinal), 1, 0.1, 1, 1, 1, sampledAt),
        };
        await Fleet.RegisterNodeAsync(agent, siteId, "node-2");
        batch[2] = batch[2] with { Epoch = 99 };
        var answer = await agent.PostAsJsonAsync(ApiRoutes.Heartbeats(siteId), batch, Wire);
        var verdicts = await answer.Content.ReadFromJsonAsync<HeartbeatVerdict[]>(Wire);

        Assert.NotNull(verdicts);
        Assert.Equal(new HeartbeatVerdict(nodeId, true, null, null, "Unknown", []), verdicts[0] with { Replicas = [] });
        Assert.Equal((false, HeartbeatRefusalCodes.UnknownNode, "unknown node"), (verdicts[1].Accepted, verdicts[1].Code, verdicts[1].Reason));
        Assert.Equal((false, HeartbeatRefusalCodes.FutureEpoch, "future epoch"), (verdicts[2].Accepted, verdicts[2].Code, verdicts[2].Reason));

        var node = await ApiAssert.OkJsonAsync(await op.GetAsync(ApiRoutes.Node(nodeId)));
        Assert.Equal(0.42, node.GetProperty("utilization").GetProperty("gpuUtilization").GetDouble());

        var challenge = await (await agent.PostAsync(ApiRoutes.Challenge(nodeId), null)).Content.ReadFromJsonAsync<AttestationChallenge>(Wire);
        Assert.NotNull(challenge);
        Assert.False(string.IsNullOrEmpty(challenge.Nonce));
        Assert.True(challenge.ExpiresAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Sites_registrations_evidence_key_refusals_and_tokens_round_trip_through_the_contract_records()
    {
        using var op = fixture.Server.Operator();
        var siteId = Fleet.UniqueSiteId();
        var site = await op.PutAsJsonAsync(ApiRoutes.Site(siteId), new SiteProfileBody("DE", ["EU"], 0.21, 1.2, 380), Wire);
        Assert.Equal("DE", (await ApiAssert.OkJsonAsync(site)).GetProperty("profile").GetProperty("jurisdiction").GetString());
        using var agent = await fixture.Server.ClientInRoleAsync(Roles.Agent, site: siteId);

        var item = new NodeRegistrationItem("node-1", "H100", 8, 80, "SIM", 10_200, 24);
        var first = await RegisterAsync(agent, siteId, [item]);
        Assert.Equal(new NodeRegistrationResult($"{siteId}/node-1", true, null, null, 1, first[0].Trust), first[0]);
        Assert.Equal("Unknown", first[0].Trust?.State);
        await RegisterAsync(agent, siteId, [item with { ExpectedEpoch = 1 }]);
        var stale = await RegisterAsync(agent, siteId, [item with { ExpectedEpoch = 1 }]);
        Assert.Equal((false, RegistrationRefusalCodes.StaleEpoch, "stale epoch", 2L), (stale[0].Registered, stale[0].Code, stale[0].Reason, stale[0].Epoch));
        var single = await agent.PutAsJsonAsync(ApiRoutes.SiteNode(siteId, "node-2"), new NodeRegistrationBody("H100", 8, 80, "TDX", 10_200, 24), Wire);
        Assert.Equal(1, (await ApiAssert.OkJsonAsync(single)).GetProperty("epoch").GetInt64());

        var invalid = await agent.PostAsJsonAsync(ApiRoutes.SiteNodes(siteId), new[] { item with { GpuCount = null } }, Wire);
        var invalidProblem = await invalid.Content.ReadFromJsonAsync<ProblemAnswer>(Wire);
        Assert.Equal(400, invalidProblem?.Status);
        Assert.Equal(["Required."], invalidProblem!.Errors!["items[0].gpuCount"]);

        var nodeId = $"{siteId}/node-1";
        using var device = fixture.Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        var challenge = await (await agent.PostAsync(ApiRoutes.Challenge(nodeId), null)).Content.ReadFromJsonAsync<AttestationChallenge>(Wire);
        var submission = new EvidenceSubmission(EvidenceFormats.SimulatedJws, SimulatedFleet.Evidence(device, nodeId, challenge!.Nonce, debug: true));
        var rejected = await (await agent.PostAsJsonAsync(ApiRoutes.Attestation(nodeId), submission, Wire)).Content.ReadFromJsonAsync<ProblemAnswer>(Wire);
        Assert.Equal(("DebugEnabled", "Untrusted", 422), (rejected?.Check, rejected?.Trust?.State, rejected?.Status));

        using var tee = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        var point = tee.ExportParameters(false).Q;
        var jwk = JsonSerializer.SerializeToElement(new { kty = "EC", crv = "P-384", x = Base64Url.EncodeToString(point.X), y = Base64Url.EncodeToString(point.Y) });
        var refused = await (await agent.PostAsJsonAsync(ApiRoutes.NodeKey(nodeId, "tenant-x", "model-x"), new KeyReleaseRequest(jwk, 1), Wire)).Content.ReadFromJsonAsync<ProblemAnswer>(Wire);
        Assert.Equal((403, "UnknownModel"), (refused?.Status, refused?.Refusal));

        var refreshed = await (await agent.PostAsync(ApiRoutes.TokenRefresh, null)).Content.ReadFromJsonAsync<IssuedToken>(Wire);
        Assert.Equal((Roles.Agent, siteId), (refreshed?.Role, refreshed?.Site));
        Assert.True(refreshed?.ExpiresAt > DateTimeOffset.UtcNow);
    }

    private static async Task<NodeRegistrationResult[]> RegisterAsync(HttpClient agent, string siteId, NodeRegistrationItem[] batch)
    {
        var answer = await agent.PostAsJsonAsync(ApiRoutes.SiteNodes(siteId), batch, Wire);
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<NodeRegistrationResult[]>(Wire))!;
    }
}
