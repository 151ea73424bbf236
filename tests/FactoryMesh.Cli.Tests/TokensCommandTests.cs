using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl tokens issue</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class TokensCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task Issue_prints_the_token_alone_so_a_shell_can_capture_it_and_the_token_works()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        (await fleet.RunAsync("tenants", "put", tenantId)).AssertSucceeded();

        var issued = (await fleet.RunAsync("tokens", "issue", "--role", "viewer", "--tenant", tenantId)).AssertSucceeded();
        var token = Assert.Single(issued.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var asViewer = await fleet.RunWithTokenAsync(token, "tenants", "get", tenantId, "-o", "json");

        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(tenantId, JsonDocument.Parse(asViewer.AssertSucceeded().StandardOutput).RootElement.GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task Issue_with_json_output_shows_role_scope_subject_and_expiry()
    {
        var issued = (await fleet.RunAsync("tokens", "issue", "--role", "agent", "--site", "eu-fra-1", "--subject", "agent-fra", "--lifetime-hours", "2", "-o", "json")).AssertSucceeded();

        var token = JsonDocument.Parse(issued.StandardOutput).RootElement;
        Assert.Equal("agent", token.GetProperty("role").GetString());
        Assert.Equal("eu-fra-1", token.GetProperty("site").GetString());
        var lifetime = token.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(lifetime, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task Revoke_ends_a_token_at_once_and_a_bad_id_is_one_clear_line()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");
        (await fleet.RunAsync("tenants", "put", tenantId)).AssertSucceeded();
        var issued = JsonDocument.Parse((await fleet.RunAsync("tokens", "issue", "--role", "viewer", "--tenant", tenantId, "-o", "json")).AssertSucceeded().StandardOutput).RootElement;
        var token = issued.GetProperty("token").GetString()!;
        (await fleet.RunWithTokenAsync(token, "tenants", "get", tenantId)).AssertSucceeded();

        var revoked = (await fleet.RunAsync("tokens", "revoke", issued.GetProperty("id").GetString()!, "--reason", "laptop lost", "-o", "json")).AssertSucceeded();

        Assert.Equal(issued.GetProperty("id").GetString(), JsonDocument.Parse(revoked.StandardOutput).RootElement.GetProperty("family").GetString());
        Assert.StartsWith("fmctl: 401", (await fleet.RunWithTokenAsync(token, "tenants", "get", tenantId)).AssertFailedWithOneLine(1), StringComparison.Ordinal);
        Assert.StartsWith("fmctl: 400 The request is not valid: tokenId:", (await fleet.RunAsync("tokens", "revoke", "Not-An-Id", "--reason", "x")).AssertFailedWithOneLine(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_of_an_agent_token_without_a_site_names_the_missing_field()
    {
        var result = await fleet.RunAsync("tokens", "issue", "--role", "agent");

        Assert.StartsWith("fmctl: 400 The request is not valid: site: An agent token needs the site it speaks for", result.AssertFailedWithOneLine(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_with_a_scheduler_token_is_forbidden_and_without_a_role_is_a_usage_error()
    {
        var scheduler = (await fleet.RunAsync("tokens", "issue", "--role", "scheduler")).AssertSucceeded().StandardOutput.Trim();

        var forbidden = await fleet.RunWithTokenAsync(scheduler, "tokens", "issue", "--role", "operator");
        var noRole = await fleet.RunAsync("tokens", "issue");

        Assert.Equal("fmctl: 403 Forbidden: this token's role may not do that", forbidden.AssertFailedWithOneLine(1));
        Assert.Equal("fmctl: Option '--role' is required. (see: fmctl tokens issue --help)", noRole.AssertFailedWithOneLine(2));
    }
}
