using System.Net;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.Server.Tests.Authorization;

/// <summary>
/// One test per cell of <see cref="AccessMatrix"/> against the real server: an admitted caller is never refused, a
/// caller out of scope gets 403 as problem details, a token that must not authenticate gets 401, and nothing answers 5xx.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AuthorizationMatrixTests(ServerFixture fixture)
{
    private ServerFactory Server => fixture.Server;

    public static TheoryData<string, Caller> RouteCells()
    {
        var cells = new TheoryData<string, Caller>();
        foreach (var route in AccessMatrix.Routes)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                cells.Add(route.ToString(), caller);
            }
        }

        return cells;
    }

    public static TheoryData<string, Caller> HubCells()
    {
        var cells = new TheoryData<string, Caller>();
        foreach (var method in AccessMatrix.HubMethods)
        {
            foreach (var caller in Enum.GetValues<Caller>().Where(c => c != Caller.Anonymous))
            {
                cells.Add(method.Method, caller);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(RouteCells))]
    public async Task Route(string route, Caller caller)
    {
        var rule = AccessMatrix.Routes.Single(r => r.ToString() == route);
        var scene = await Scene.OfAsync(Server);
        using var client = Server.ClientWith(scene.Tokens[caller]);
        using var request = new HttpRequestMessage(new HttpMethod(rule.Method), scene.Fill(rule.Path));
        if (rule.Body is { } body)
        {
            request.Content = new StringContent(scene.Fill(body), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        var answer = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
        Assert.True((int)response.StatusCode < 500, answer);
        if (!AccessMatrix.IsAuthentic(caller))
        {
            await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        }
        else if (rule.Admitted.Contains(caller))
        {
            // Admitted means authorization let it through: the handler may still refuse on the merits (the key broker
            // answers 403 with its refusal code when, say, the model has no artifact), never as an authorization 403.
            Assert.True(response.StatusCode != HttpStatusCode.Unauthorized, answer);
            Assert.True(response.StatusCode != HttpStatusCode.Forbidden || answer.Contains("\"refusal\"", StringComparison.Ordinal), answer);
        }
        else
        {
            await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        }
    }

    [Theory]
    [MemberData(nameof(HubCells))]
    public async Task Hub(string method, Caller caller)
    {
        var rule = AccessMatrix.HubMethods.Single(m => m.Method == method);
        var scene = await Scene.OfAsync(Server);
        if (!AccessMatrix.IsAuthentic(caller))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => HubClient.ConnectAsync(Server, scene.Tokens[caller]!));
            return;
        }

        await using var hub = await HubClient.ConnectAsync(Server, scene.Tokens[caller]!);
        var arguments = rule.Arguments.Select(a => (object)Uri.UnescapeDataString(scene.Fill(a))).ToArray();
        if (rule.Admitted.Contains(caller))
        {
            await hub.InvokeAsync(rule.Method, arguments);
        }
        else
        {
            await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(rule.Method, arguments));
        }
    }

    [Theory]
    [MemberData(nameof(AnonymousRoutes))]
    public async Task Anonymous_route(string path)
    {
        using var anonymous = Server.ClientWith(null);
        using var response = await anonymous.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
    }

    public static TheoryData<string> AnonymousRoutes() => new(AccessMatrix.Anonymous);

    [Fact]
    public void Every_route_the_server_maps_is_in_the_matrix()
    {
        var mapped = Server.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();
        var inMatrix = AccessMatrix.Routes.Select(r => $"{r.Method} {Template(r.Path)}").ToHashSet();

        Assert.Empty(mapped.Except(inMatrix));
    }

    // The matrix's concrete path back to the server's template, for comparing the two lists.
    private static string Template(string path) => path.Split('?')[0]
        .Replace("{site}", "{siteId}", StringComparison.Ordinal)
        .Replace("{node}", "{nodeId}", StringComparison.Ordinal)
        .Replace("{victim}", "{nodeId}", StringComparison.Ordinal)
        .Replace("{tenant}", "{tenantId}", StringComparison.Ordinal)
        .Replace("{model}", "{modelId}", StringComparison.Ordinal)
        .Replace("/nodes/node-1", "/nodes/{nodeId}", StringComparison.Ordinal)
        .Replace("/tokens/0123456789abcdef/", "/tokens/{tokenId}/", StringComparison.Ordinal);
}
