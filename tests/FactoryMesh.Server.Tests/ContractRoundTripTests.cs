using System.Net.Http.Json;
using System.Text.Json;
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
}
