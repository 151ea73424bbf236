using System.Net.Http.Headers;
using System.Net.Http.Json;
using FactoryMesh.Contracts.Http;
using FactoryMesh.SiteAgent.ControlPlane;

namespace FactoryMesh.LoadGen;

/// <summary>The operator's side of a run: creating sites, issuing agent tokens, and reading the fleet's counts.</summary>
internal sealed class OperatorClient : IDisposable
{
    private readonly HttpClient _http;

    public OperatorClient(Uri server, string operatorToken)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
    }

    /// <summary>Creates the site and answers an agent token for it.</summary>
    public async Task<string> CreateSiteAsync(string siteId)
    {
        var profile = new SiteProfileBody("DE", ["EU"], 0.21, 1.2, 380);
        using (var created = await _http.PutAsJsonAsync(new Uri($"{ApiRoutes.Root}/sites/{siteId}", UriKind.Relative), profile, ControlPlaneJson.Options))
        {
            created.EnsureSuccessStatusCode();
        }

        // Token issuance is rate limited per operator token (a burst of 20): a fleet of more sites waits its turn.
        while (true)
        {
            using var issued = await _http.PostAsJsonAsync(new Uri($"{ApiRoutes.Root}/tokens", UriKind.Relative), new { role = "agent", site = siteId }, ControlPlaneJson.Options);
            if (issued.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(issued.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            issued.EnsureSuccessStatusCode();
            return (await issued.Content.ReadFromJsonAsync<IssuedToken>(ControlPlaneJson.Options))!.Token;
        }
    }

    /// <summary>Every site's node and Ready counts, as <c>GET /api/v1/sites</c> reports them.</summary>
    public async Task<IReadOnlyList<SiteCounts>> SitesAsync()
    {
        return await _http.GetFromJsonAsync<SiteCounts[]>(new Uri($"{ApiRoutes.Root}/sites", UriKind.Relative), ControlPlaneJson.Options) ?? [];
    }

    /// <summary>The nodes <c>GET /api/v1/sites/{siteId}/nodes</c> lists, with their liveness.</summary>
    public async Task<IReadOnlyList<ListedNode>> NodesAsync(string siteId) =>
        await _http.GetFromJsonAsync<ListedNode[]>(new Uri($"{ApiRoutes.Root}/sites/{siteId}/nodes", UriKind.Relative), ControlPlaneJson.Options) ?? [];

    public void Dispose() => _http.Dispose();

    private sealed record IssuedToken(string Token);
}

/// <summary>A site's counts from <c>GET /api/v1/sites</c>.</summary>
internal sealed record SiteCounts(string SiteId, int Nodes, int Ready);

/// <summary>A node from <c>GET /api/v1/sites/{siteId}/nodes</c>.</summary>
internal sealed record ListedNode(string NodeId, string Liveness);
