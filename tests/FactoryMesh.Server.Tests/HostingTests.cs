using System.Net;

namespace FactoryMesh.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class HostingTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_endpoints_answer_without_a_token(string path)
    {
        using var anonymous = fixture.Server.ClientWith(null);
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var anonymous = fixture.Server.ClientWith(null);
        var document = await ApiAssert.OkJsonAsync(await anonymous.GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/sites/{siteId}", "/api/v1/sites/{siteId}/nodes/{nodeId}", "/api/v1/sites/{siteId}/heartbeats", "/api/v1/nodes/{nodeId}", "/api/v1/tokens", "/api/v1/tenants/{tenantId}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard.js")]
    [InlineData("/api/v1/sites")]
    [InlineData("/no-such-page")]
    public async Task Every_answer_forbids_inline_script_framing_sniffing_and_referrers(string path)
    {
        using var anonymous = fixture.Server.ClientWith(null);
        var response = await anonymous.GetAsync(path);

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }
}
