using System.Net;
using System.Net.Http.Json;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SecurityTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    [Fact]
    public async Task A_call_without_a_token_gets_401_as_problem_details()
    {
        using var anonymous = Server.ClientWith(null);
        await ApiAssert.ProblemAsync(await anonymous.GetAsync("/api/v1/sites"), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await anonymous.PutAsJsonAsync("/api/v1/sites/eu-fra-9", Fleet.Frankfurt), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_forged_token_gets_401()
    {
        var keys = new TokenSigningKeys(new TokenKeyRingFile(Directory.CreateTempSubdirectory("forger-").FullName), new byte[32], TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<TokenSigningKeys>.Instance);
        var forged = new TokenIssuer(keys, TimeProvider.System).Issue("mallory", Roles.Operator, null, null, TimeSpan.FromHours(1));
        using var client = Server.ClientWith(forged.Token);
        await ApiAssert.ProblemAsync(await client.GetAsync("/api/v1/sites"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_operator_token_and_signing_key_are_readable_by_their_owner_only()
    {
        Assert.False(string.IsNullOrWhiteSpace(Server.OperatorToken));
        foreach (var file in new[] { "operator.token", "signing.key" })
        {
            var mode = File.GetUnixFileMode(Path.Combine(Server.DataDirectory, file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }
    }

    [Fact]
    public async Task A_viewer_cannot_create_sites_or_issue_tokens()
    {
        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: "acme");
        await ApiAssert.ProblemAsync(await viewer.PutAsJsonAsync($"/api/v1/sites/{Fleet.UniqueSiteId()}", Fleet.Frankfurt), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await viewer.PostAsJsonAsync("/api/v1/tokens", new { role = "operator" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_agent_registers_and_heartbeats_its_own_site_only()
    {
        using var op = Server.Operator();
        var ownSite = await Fleet.CreateSiteAsync(op);
        var otherSite = await Fleet.CreateSiteAsync(op);
        using var agent = await Server.ClientInRoleAsync(Roles.Agent, site: ownSite);

        var epoch = await Fleet.RegisterNodeAsync(agent, ownSite, "node-1");
        var results = await ApiAssert.OkJsonAsync(await agent.PostAsJsonAsync($"/api/v1/sites/{ownSite}/heartbeats", new[] { Fleet.Heartbeat($"{ownSite}/node-1", epoch) }));
        Assert.True(results[0].GetProperty("accepted").GetBoolean());

        await ApiAssert.ProblemAsync(await agent.PutAsJsonAsync($"/api/v1/sites/{otherSite}/nodes/node-1", Fleet.H100Node), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await agent.PostAsJsonAsync($"/api/v1/sites/{otherSite}/heartbeats", new[] { Fleet.Heartbeat($"{otherSite}/node-1", 1) }), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await op.GetAsync(Fleet.NodeUrl($"{otherSite}/node-1")), HttpStatusCode.NotFound);
        var other = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/sites/{otherSite}"));
        Assert.Equal(0, other.GetProperty("nodes").GetInt32());
    }

    [Fact]
    public async Task Token_requests_are_validated()
    {
        using var op = Server.Operator();
        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync("/api/v1/tokens", new { role = "agent" }), "site");
        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync("/api/v1/tokens", new { role = "root" }), "role");
        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync("/api/v1/tokens", new { role = "viewer", tenant = "acme", lifetimeHours = 100_000 }), "lifetimeHours");
    }

    [Fact]
    public async Task A_scheduler_reads_nodes_but_a_viewer_may_not()
    {
        using var op = Server.Operator();
        var site = await Fleet.CreateSiteAsync(op);
        await Fleet.RegisterNodeAsync(op, site, "node-1");
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        using var viewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: "acme");

        await ApiAssert.OkJsonAsync(await scheduler.GetAsync(Fleet.NodeUrl($"{site}/node-1")));
        await ApiAssert.ProblemAsync(await viewer.GetAsync(Fleet.NodeUrl($"{site}/node-1")), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await viewer.GetAsync($"/api/v1/sites/{site}/nodes"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Refusals_at_the_edge_are_audited_once_per_caller_and_route_however_often_they_are_tried()
    {
        using var op = Server.Operator();
        var ownSite = await Fleet.CreateSiteAsync(op);
        var otherSite = await Fleet.CreateSiteAsync(op);
        var auditedBefore = (await ApiAssert.OkJsonAsync(await op.GetAsync("/api/v1/audit/head"))).GetProperty("head").GetProperty("sequence").GetInt64();
        using var agent = await Server.ClientInRoleAsync(Roles.Agent, site: ownSite);

        for (var i = 0; i < 5; i++)
        {
            await ApiAssert.ProblemAsync(await agent.PostAsJsonAsync($"/api/v1/sites/{otherSite}/heartbeats", new[] { Fleet.Heartbeat($"{otherSite}/node-1", 1) }), HttpStatusCode.Forbidden);
        }

        using var keyAsker = await Server.ClientInRoleAsync(Roles.Operator); // a token of its own: refusals are audited once per token and route
        var keyAsked = await keyAsker.PostAsJsonAsync($"/api/v1/nodes/{Uri.EscapeDataString($"{ownSite}/node-1")}/keys/acme/llama", new { teePublicKey = new { kty = "EC" }, placementEpoch = 1 });
        Assert.Contains("Only the agent of site", (await ApiAssert.ProblemAsync(keyAsked, HttpStatusCode.Forbidden)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var audit = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/audit?limit=1000&after={auditedBefore}"));
        var refusals = audit.EnumerateArray().Select(r => r.GetProperty("entry")).Where(e => e.GetProperty("kind").GetString() == "access-refusal").ToList();
        Assert.Single(refusals, e => e.GetProperty("reason").GetString()!.Contains($"heartbeats for site '{otherSite}'", StringComparison.Ordinal));
        Assert.Contains(refusals, e => e.GetProperty("reason").GetString()!.Contains("/keys/", StringComparison.Ordinal) && e.GetProperty("reason").GetString()!.Contains("operator", StringComparison.Ordinal));
    }
}
