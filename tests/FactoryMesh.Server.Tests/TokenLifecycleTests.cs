using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>Tokens after issuance: refresh, revocation of a whole family, and signing-key rotation without downtime.</summary>
[Collection(ServerCollection.Name)]
public sealed class TokenLifecycleTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    private static async Task<JsonElement> IssueAsync(HttpClient op, object request) =>
        await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync("/api/v1/tokens", request));

    [Fact]
    public async Task An_agent_token_is_short_and_refreshes_into_a_token_of_the_same_scope_and_lifetime()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var otherSite = await Fleet.CreateSiteAsync(op);
        var issued = await IssueAsync(op, new { role = "agent", site = siteId });
        Assert.InRange(issued.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        using var agent = Server.ClientWith(issued.GetProperty("token").GetString());

        var refreshed = await ApiAssert.OkJsonAsync(await agent.PostAsync("/api/v1/tokens/refresh", null));

        var family = issued.GetProperty("id").GetString()!;
        Assert.StartsWith($"{family}.", refreshed.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(siteId, refreshed.GetProperty("site").GetString());
        Assert.InRange(refreshed.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        using var renewed = Server.ClientWith(refreshed.GetProperty("token").GetString());
        await Fleet.RegisterNodeAsync(renewed, siteId, "node-1");
        await ApiAssert.ProblemAsync(await renewed.PutAsJsonAsync($"/api/v1/sites/{otherSite}/nodes/node-1", Fleet.H100Node), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await renewed.PostAsJsonAsync("/api/v1/tokens", new { role = "operator" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Revoking_a_token_ends_it_and_every_token_refreshed_from_it_and_is_audited()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var stolen = await IssueAsync(op, new { role = "agent", site = siteId });
        var bystander = await IssueAsync(op, new { role = "agent", site = siteId });
        using var thief = Server.ClientWith(stolen.GetProperty("token").GetString());
        var kept = await ApiAssert.OkJsonAsync(await thief.PostAsync("/api/v1/tokens/refresh", null)); // the thief refreshed before anyone noticed
        using var thiefLater = Server.ClientWith(kept.GetProperty("token").GetString());
        using var honest = Server.ClientWith(bystander.GetProperty("token").GetString());
        await ApiAssert.OkJsonAsync(await thiefLater.GetAsync($"/api/v1/sites/{siteId}"));

        var auditedBefore = (await ApiAssert.OkJsonAsync(await op.GetAsync("/api/v1/audit/head"))).GetProperty("head").GetProperty("sequence").GetInt64();
        var revoked = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync($"/api/v1/tokens/{kept.GetProperty("id").GetString()}/revoke", new { reason = "agent host compromised" }));

        Assert.Equal(stolen.GetProperty("id").GetString(), revoked.GetProperty("family").GetString());
        await ApiAssert.ProblemAsync(await thief.GetAsync($"/api/v1/sites/{siteId}"), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await thiefLater.GetAsync($"/api/v1/sites/{siteId}"), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await thiefLater.PostAsync("/api/v1/tokens/refresh", null), HttpStatusCode.Unauthorized);
        await ApiAssert.OkJsonAsync(await honest.GetAsync($"/api/v1/sites/{siteId}"));
        var audit = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/audit?limit=1000&after={auditedBefore}"));
        Assert.Contains(audit.EnumerateArray(), r => r.GetProperty("entry").GetProperty("kind").GetString() == "token-revocation"
            && r.GetProperty("entry").GetProperty("reason").GetString()!.Contains(revoked.GetProperty("family").GetString()!, StringComparison.Ordinal));
        await ApiAssert.InvalidFieldAsync(await op.PostAsJsonAsync("/api/v1/tokens/NOT-AN-ID/revoke", new { reason = "x" }), "tokenId");
        await ApiAssert.ProblemAsync(await honest.PostAsJsonAsync($"/api/v1/tokens/{bystander.GetProperty("id").GetString()}/revoke", new { reason = "x" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_rotated_signing_key_keeps_earlier_tokens_working_until_an_emergency_rotation_retires_them()
    {
        await using var server = new ServerFactory(); // a server of its own: the emergency rotation ends every token it had
        _ = server.Server;
        using var op = server.Operator();
        var before = await IssueAsync(op, new { role = "scheduler" });
        using var earlier = server.ClientWith(before.GetProperty("token").GetString());

        var rotated = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync("/api/v1/tokens/keys/rotate", new { }));
        var after = await IssueAsync(op, new { role = "scheduler" });
        using var later = server.ClientWith(after.GetProperty("token").GetString());

        Assert.Contains(rotated.GetProperty("keyId").GetString()!, Header(after.GetProperty("token").GetString()!), StringComparison.Ordinal);
        await ApiAssert.OkJsonAsync(await earlier.GetAsync("/api/v1/tenants"));
        await ApiAssert.OkJsonAsync(await later.GetAsync("/api/v1/tenants"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(server.DataDirectory, TokenKeyRingFile.FileName)));

        await ApiAssert.ProblemAsync(await later.PostAsJsonAsync("/api/v1/tokens/keys/rotate", new { retireEarlierKeys = true }), HttpStatusCode.Forbidden);
        var emergency = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync("/api/v1/tokens/keys/rotate", new { retireEarlierKeys = true }));

        Assert.True(emergency.GetProperty("earlierKeysRetired").GetBoolean());
        await ApiAssert.ProblemAsync(await earlier.GetAsync("/api/v1/tenants"), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await later.GetAsync("/api/v1/tenants"), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await op.GetAsync("/api/v1/tenants"), HttpStatusCode.Unauthorized); // the bootstrap token too
    }

    private static string Header(string token) =>
        System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
}
