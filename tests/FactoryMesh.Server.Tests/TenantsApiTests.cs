using System.Net;
using System.Net.Http.Json;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class TenantsApiTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    private static object EuOnly => new
    {
        allowedJurisdictions = new[] { "DE", "FR" },
        allowedZones = new[] { "EU" },
        deniedJurisdictions = new[] { "US" },
        requiredTeeKinds = new[] { "TDX", "SEV-SNP" },
        maxAttestationAgeSeconds = 300,
        weights = new { cost = 1, energy = 0.5, carbon = 0 },
        budgetUsdPerHour = 250,
    };

    [Fact]
    public async Task An_operator_sets_a_policy_that_the_tenants_viewer_can_read_and_no_other_viewer_can()
    {
        var tenantId = $"t-{Guid.NewGuid():N}"[..12];
        using var op = Server.Operator();
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", EuOnly));

        using var ownViewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: tenantId);
        using var otherViewer = await Server.ClientInRoleAsync(Roles.Viewer, tenant: "someone-else");
        var tenant = await ApiAssert.OkJsonAsync(await ownViewer.GetAsync($"/api/v1/tenants/{tenantId}"));
        Assert.Equal(300, tenant.GetProperty("policy").GetProperty("maxAttestationAgeSeconds").GetInt32());
        Assert.Equal(["DE", "FR"], tenant.GetProperty("policy").GetProperty("allowedJurisdictions").EnumerateArray().Select(j => j.GetString()));
        await ApiAssert.ProblemAsync(await otherViewer.GetAsync($"/api/v1/tenants/{tenantId}"), HttpStatusCode.Forbidden);
        var all = await ApiAssert.OkJsonAsync(await op.GetAsync("/api/v1/tenants"));
        Assert.Contains(all.EnumerateArray(), t => t.GetProperty("tenantId").GetString() == tenantId);
    }

    [Fact]
    public async Task An_invalid_policy_is_refused_and_the_stored_one_kept()
    {
        var tenantId = $"t-{Guid.NewGuid():N}"[..12];
        using var op = Server.Operator();
        await ApiAssert.OkJsonAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", EuOnly));

        var bad = new { allowedJurisdictions = new[] { "DE", "Mars" }, requiredTeeKinds = new[] { "SGX" }, maxAttestationAgeSeconds = 0, weights = new { cost = -1 } };
        var problem = await ApiAssert.InvalidFieldAsync(await op.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", bad), "allowedJurisdictions[1]");

        foreach (var field in new[] { "requiredTeeKinds[0]", "maxAttestationAgeSeconds", "weights.cost" })
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        }

        var tenant = await ApiAssert.OkJsonAsync(await op.GetAsync($"/api/v1/tenants/{tenantId}"));
        Assert.Equal(300, tenant.GetProperty("policy").GetProperty("maxAttestationAgeSeconds").GetInt32());
    }

    [Fact]
    public async Task Only_operators_set_policies()
    {
        using var scheduler = await Server.ClientInRoleAsync(Roles.Scheduler);
        await ApiAssert.ProblemAsync(await scheduler.PutAsJsonAsync("/api/v1/tenants/acme", EuOnly), HttpStatusCode.Forbidden);
    }
}
