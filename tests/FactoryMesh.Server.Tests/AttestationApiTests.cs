using System.Net;
using System.Net.Http.Json;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>Attestation as a site agent and an operator do it, over HTTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class AttestationApiTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    private async Task<(HttpClient Agent, string NodeId)> AgentWithNodeAsync()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var agent = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        await ApiAssert.OkJsonAsync(await agent.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));
        return (agent, $"{siteId}/node-1");
    }

    private static async Task<string> ChallengeAsync(HttpClient agent, string nodeId)
    {
        var challenge = await ApiAssert.OkJsonAsync(await agent.PostAsync($"{Fleet.NodeUrl(nodeId)}/attestation/challenge", null));
        Assert.True(challenge.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        return challenge.GetProperty("nonce").GetString()!;
    }

    [Fact]
    public async Task An_agent_attests_its_node_which_becomes_trusted_and_the_audit_log_records_it()
    {
        var (agent, nodeId) = await AgentWithNodeAsync();
        using var _ = agent;
        using var device = Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        var nonce = await ChallengeAsync(agent, nodeId);

        var trust = await ApiAssert.OkJsonAsync(await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "sim-jws", evidence = SimulatedFleet.Evidence(device, nodeId, nonce) }));

        Assert.Equal("Trusted", trust.GetProperty("state").GetString());
        var verifiedAt = trust.GetProperty("verifiedAt").GetDateTimeOffset();
        Assert.Equal(verifiedAt.AddSeconds(600), trust.GetProperty("expiresAt").GetDateTimeOffset());
        using var op = Server.Operator();
        var node = await ApiAssert.OkJsonAsync(await op.GetAsync(Fleet.NodeUrl(nodeId)));
        Assert.Equal("Trusted", node.GetProperty("trust").GetProperty("state").GetString());
        var audit = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/audit?nodeId={Uri.EscapeDataString(nodeId)}"));
        Assert.Equal(["appraisal", "transition"], audit.EnumerateArray().Select(r => r.GetProperty("entry").GetProperty("kind").GetString()));
        Assert.StartsWith("agent-issued-by", audit[0].GetProperty("entry").GetProperty("actor").GetString(), StringComparison.Ordinal);
        var verification = await ApiAssert.OkJsonAsync(await op.GetAsync("/api/v1/audit/verify"));
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task Rejected_evidence_answers_422_with_the_failed_check_and_untrusts_the_node()
    {
        var (agent, nodeId) = await AgentWithNodeAsync();
        using var _ = agent;
        using var device = Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        var nonce = await ChallengeAsync(agent, nodeId);

        var response = await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "sim-jws", evidence = SimulatedFleet.Evidence(device, nodeId, nonce, debug: true) });

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("DebugEnabled", problem.GetProperty("check").GetString());
        Assert.Equal("Untrusted", problem.GetProperty("trust").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Evidence_that_is_not_bound_to_the_challenge_is_refused_and_leaves_a_trusted_node_trusted()
    {
        var (agent, nodeId) = await AgentWithNodeAsync();
        using var _ = agent;
        using var device = Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "sim-jws", evidence = SimulatedFleet.Evidence(device, nodeId, await ChallengeAsync(agent, nodeId)) }));

        foreach (var evidence in new[] { "junk", SimulatedFleet.Evidence(device, nodeId, "forged-nonce"), SimulatedFleet.Evidence(device, nodeId, await ChallengeAsync(agent, nodeId), debug: true).Replace('.', '!') })
        {
            var response = await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "sim-jws", evidence });
            var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("Trusted", problem.GetProperty("trust").GetProperty("state").GetString());
            Assert.Contains("trust is unchanged", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using var op = Server.Operator();
        var node = await ApiAssert.OkJsonAsync(await op.GetAsync(Fleet.NodeUrl(nodeId)));
        Assert.Equal("Trusted", node.GetProperty("trust").GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_agent_cannot_attest_another_sites_node_and_bad_bodies_are_named()
    {
        var (agent, nodeId) = await AgentWithNodeAsync();
        var (otherAgent, _) = await AgentWithNodeAsync();
        using var a = agent;
        using var b = otherAgent;

        await ApiAssert.ProblemAsync(await otherAgent.PostAsync($"{Fleet.NodeUrl(nodeId)}/attestation/challenge", null), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await otherAgent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "sim-jws", evidence = "x" }), HttpStatusCode.Forbidden);
        await ApiAssert.InvalidFieldAsync(await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { evidence = "x" }), "format");
        var unknown = await ApiAssert.ProblemAsync(await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "tpm-quote", evidence = "x" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("UnknownFormat", unknown.GetProperty("check").GetString());
        using var op = Server.Operator();
        await ApiAssert.ProblemAsync(await op.PostAsync($"{Fleet.NodeUrl($"{nodeId}-missing")}/attestation/challenge", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Operators_revoke_nodes_and_device_certificates_and_agents_may_not()
    {
        var (agent, nodeId) = await AgentWithNodeAsync();
        using var _ = agent;
        using var device = Server.Vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "sim-jws", evidence = SimulatedFleet.Evidence(device, nodeId, await ChallengeAsync(agent, nodeId)) }));
        using var op = Server.Operator();

        await ApiAssert.ProblemAsync(await agent.PostAsJsonAsync("/api/v1/attestation/revocations", new { certificate = device.DeviceThumbprint, reason = "x" }), HttpStatusCode.Forbidden);
        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync("/api/v1/attestation/revocations", new { certificate = "not hex!", reason = "x" }), "certificate");
        var revoked = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync("/api/v1/attestation/revocations", new { certificate = device.DeviceThumbprint, reason = "key compromise" }));
        Assert.Equal([nodeId], revoked.GetProperty("untrustedNodes").EnumerateArray().Select(n => n.GetString()));
        var node = await ApiAssert.OkJsonAsync(await op.GetAsync(Fleet.NodeUrl(nodeId)));
        Assert.Equal("Untrusted", node.GetProperty("trust").GetProperty("state").GetString());

        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/revoke", new { reason = "" }), "reason");
        var trust = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/revoke", new { reason = "decommissioned" }));
        Assert.Equal("Untrusted", trust.GetProperty("state").GetString());
        Assert.Contains("decommissioned", trust.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
