using System.Net.Http.Json;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// The fuzzed server and its canaries: a site with a Trusted node, a tenant with a placed model. Its rate limits are
/// widened, or they would answer most of the flood with 429 before it reached the handlers under test.
/// </summary>
public sealed class RouteFuzzFixture : IAsyncLifetime
{
    public const string Site = "canary-site";
    public const string Tenant = "canary-tenant";
    public const string Model = "canary-model";

    public ServerFactory Server { get; } = new(settings: Hosting.RateLimits.Defaults.Keys.SelectMany(policy => new[]
    {
        KeyValuePair.Create($"FactoryMesh:RateLimits:{policy}:PermitsPerSecond", "1000000"),
        KeyValuePair.Create($"FactoryMesh:RateLimits:{policy}:Burst", "1000000"),
    }).ToDictionary());

    public HttpClient Operator { get; private set; } = null!;

    public HttpClient Agent { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _ = Server.Server; // starts the host: silo, schema, operator token
        Operator = Server.Operator();
        await ApiAssert.OkJsonAsync(await Operator.PutAsJsonAsync($"/api/v1/sites/{Site}", Fleet.Frankfurt));
        await ApiAssert.OkJsonAsync(await Operator.PutAsJsonAsync($"/api/v1/sites/{Site}/nodes/node-1", SimulatedFleet.SimNode));
        using var device = Server.Vendor.IssueDevice($"{Site}/node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(Operator, device, $"{Site}/node-1"));
        await ApiAssert.OkJsonAsync(await Operator.PutAsJsonAsync($"/api/v1/tenants/{Tenant}", new { allowedZones = new[] { "EU" } }));
        await ApiAssert.OkJsonAsync(await Operator.PutAsJsonAsync($"/api/v1/tenants/{Tenant}/models/{Model}", new
        {
            gpuMemoryGiB = 80,
            tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_400 },
            replicas = 1,
            artifact = new { uri = "s3://models/canary.enc", sha256 = new string('a', 64), wrappedKey = "d3JhcHBlZA" },
        }));
        await ApiAssert.OkJsonAsync(await Operator.PostAsync($"/api/v1/tenants/{Tenant}/models/{Model}/placement", null));
        Agent = await Server.ClientInRoleAsync(Roles.Agent, site: Site);
    }

    public async Task DisposeAsync()
    {
        Operator.Dispose();
        Agent.Dispose();
        await Server.DisposeAsync();
    }
}
