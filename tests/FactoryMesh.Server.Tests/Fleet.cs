using System.Net.Http.Json;

namespace FactoryMesh.Server.Tests;

/// <summary>Requests the tests send, with plausible values.</summary>
public static class Fleet
{
    /// <summary>A site id no other test uses.</summary>
    public static string UniqueSiteId() => $"site-{Guid.NewGuid():N}"[..20];

    /// <summary>A German EU site.</summary>
    public static object Frankfurt => new { jurisdiction = "DE", zones = new[] { "EU" }, electricityUsdPerKwh = 0.21, pue = 1.2, carbonGramsPerKwh = 380 };

    /// <summary>An eight-GPU H100 TDX node.</summary>
    public static object H100Node => new { gpuModel = "H100", gpuCount = 8, gpuMemoryGiB = 80, teeKind = "TDX", powerWatts = 10_200, costUsdPerHour = 24 };

    /// <summary>A heartbeat for <paramref name="nodeId"/>.</summary>
    public static object Heartbeat(string nodeId, long epoch, double utilization = 0.5) =>
        new { nodeId, epoch, gpuUtilization = utilization, gpuMemoryUsedGiB = 100, powerWatts = 8_000, tokensPerSecond = 2_400 };

    /// <summary>Creates a site as the operator.</summary>
    public static async Task<string> CreateSiteAsync(HttpClient @operator)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        var siteId = UniqueSiteId();
        (await @operator.PutAsJsonAsync($"/api/v1/sites/{siteId}", Frankfurt)).EnsureSuccessStatusCode();
        return siteId;
    }

    /// <summary>Registers a node and returns its epoch.</summary>
    public static async Task<long> RegisterNodeAsync(HttpClient client, string siteId, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        var view = await ApiAssert.OkJsonAsync(await client.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/{name}", H100Node));
        return view.GetProperty("epoch").GetInt64();
    }

    /// <summary>The URL of a node, its id encoded as one path segment.</summary>
    public static string NodeUrl(string nodeId) => $"/api/v1/nodes/{Uri.EscapeDataString(nodeId)}";
}
