using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl tenants list | get | put</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class TenantsCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task Put_sends_every_policy_option_and_get_returns_the_policy()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");

        (await fleet.RunAsync("tenants", "put", tenantId,
            "--allow-jurisdiction", "DE", "--allow-jurisdiction", "FR", "--allow-zone", "EU", "--deny-jurisdiction", "US",
            "--require-tee", "TDX", "--max-attestation-age", "300",
            "--weight-cost", "1", "--weight-energy", "0.5", "--weight-carbon", "0.25", "--budget-usd-per-hour", "100")).AssertSucceeded();
        var get = (await fleet.RunAsync("tenants", "get", tenantId, "-o", "json")).AssertSucceeded();

        var policy = JsonDocument.Parse(get.StandardOutput).RootElement.GetProperty("policy");
        Assert.Equal(["DE", "FR"], policy.GetProperty("allowedJurisdictions").EnumerateArray().Select(j => j.GetString()));
        Assert.Equal(["EU"], policy.GetProperty("allowedZones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(["US"], policy.GetProperty("deniedJurisdictions").EnumerateArray().Select(j => j.GetString()));
        Assert.Equal(["TDX"], policy.GetProperty("requiredTeeKinds").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(300, policy.GetProperty("maxAttestationAgeSeconds").GetInt32());
        Assert.Equal(0.5, policy.GetProperty("weights").GetProperty("energy").GetDouble());
        Assert.Equal(0.25, policy.GetProperty("weights").GetProperty("carbon").GetDouble());
        Assert.Equal(100, policy.GetProperty("budgetUsdPerHour").GetDouble());
    }

    [Fact]
    public async Task Put_with_no_options_leaves_the_servers_defaults_and_list_shows_the_tenant()
    {
        var tenantId = FleetServerFixture.UniqueName("tenant");

        var put = (await fleet.RunAsync("tenants", "put", tenantId, "-o", "json")).AssertSucceeded();
        var list = (await fleet.RunAsync("tenants", "list")).AssertSucceeded();

        var policy = JsonDocument.Parse(put.StandardOutput).RootElement.GetProperty("policy");
        Assert.Equal(600, policy.GetProperty("maxAttestationAgeSeconds").GetInt32());
        Assert.Equal(1, policy.GetProperty("weights").GetProperty("cost").GetDouble());
        Assert.Contains(list.StandardOutput.Split('\n'), line => line.StartsWith(tenantId, StringComparison.Ordinal) && line.Contains("1/0/0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_with_a_malformed_jurisdiction_names_the_list_entry()
    {
        var result = await fleet.RunAsync("tenants", "put", FleetServerFixture.UniqueName("tenant"), "--allow-jurisdiction", "de");

        Assert.Equal(
            "fmctl: 400 The request is not valid: allowedJurisdictions[0]: Must be an ISO 3166-1 alpha-2 country code in upper case.",
            result.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Get_of_another_tenant_with_a_viewer_token_is_forbidden()
    {
        var viewer = (await fleet.RunAsync("tokens", "issue", "--role", "viewer", "--tenant", "somebody-else")).AssertSucceeded().StandardOutput.Trim();
        var tenantId = FleetServerFixture.UniqueName("tenant");
        (await fleet.RunAsync("tenants", "put", tenantId)).AssertSucceeded();

        var result = await fleet.RunWithTokenAsync(viewer, "tenants", "get", tenantId);

        Assert.Equal($"fmctl: 403 Forbidden: This token may not read tenant '{tenantId}'.", result.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Get_of_an_unknown_tenant_says_404()
    {
        var result = await fleet.RunAsync("tenants", "get", "no-such-tenant");

        Assert.Equal("fmctl: 404 Not found: Tenant 'no-such-tenant' does not exist.", result.AssertFailedWithOneLine(1));
    }
}
