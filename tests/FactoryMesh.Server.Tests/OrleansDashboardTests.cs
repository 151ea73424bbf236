using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.ServerHost;
using FactoryMesh.Server.Security;
using OpenQA.Selenium;

namespace FactoryMesh.Server.Tests;

/// <summary>The Orleans Dashboard at /orleans: operators only, through a cookie session scoped to it.</summary>
public sealed class OrleansDashboardTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"factorymesh-orleans-dashboard-{Guid.NewGuid():N}");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(_data, $"--contentRoot={RepositoryPaths.ServerProject}", "--FactoryMesh:Telemetry:OrleansDashboard=true");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task An_operator_opens_a_session_and_the_dashboard_serves_its_page_and_the_clusters_figures()
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = _server.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/orleans/ClusterStats")).StatusCode);

        using var open = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessions/orleans-dashboard");
        open.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.OperatorToken);
        using var opened = await browser.SendAsync(open);
        Assert.Equal(HttpStatusCode.NoContent, opened.StatusCode);
        var setCookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.Contains("path=/orleans", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        // The browser, now with the cookie alone: the page and its data.
        var page = await browser.GetAsync("/orleans/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var stats = await browser.GetAsync("/orleans/ClusterStats");
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(JsonValueKind.Object, (await stats.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);

        // The cookie opens nothing outside /orleans: the API still wants a bearer token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/sites")).StatusCode);
    }

    [Fact]
    public void An_operator_goes_from_the_fleet_dashboard_to_the_orleans_dashboard_and_it_draws_under_the_servers_csp()
    {
        using var browser = Chromium.Open(_server.Address, _server.OperatorToken);
        var wait = Chromium.Waiting(browser, TimeSpan.FromSeconds(30));
        wait.Until(d => d.FindElement(By.Id("orleans-dashboard")).Displayed);
        browser.FindElement(By.Id("orleans-dashboard")).Click();
        wait.Until(d => d.Url.Contains("/orleans/", StringComparison.Ordinal)
            && d.FindElement(By.TagName("body")).Text.Contains("TOTAL ACTIVATIONS", StringComparison.OrdinalIgnoreCase)
            && d.FindElement(By.TagName("body")).Text.Contains("ACTIVE SILOS", StringComparison.OrdinalIgnoreCase));
        Chromium.Screenshot(browser, "orleans-dashboard.png");

        // Nothing the page needs was refused by the policy (its icon fonts, its one inline style).
        var violations = browser.Manage().Logs.GetLog(LogType.Browser).Select(l => l.Message)
            .Where(m => m.Contains("Content Security Policy", StringComparison.Ordinal)).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Only_an_operator_may_open_a_session_or_read_the_dashboard()
    {
        using var op = _server.Client(_server.OperatorToken);
        var issued = await ApiAssert.OkJsonAsync(await op.PostAsJsonAsync("/api/v1/tokens", new { role = Roles.Scheduler, subject = "planner" }));
        using var scheduler = _server.Client(issued.GetProperty("token").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await scheduler.PostAsync("/api/v1/sessions/orleans-dashboard", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scheduler.GetAsync("/orleans/ClusterStats")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/orleans/ClusterStats")).StatusCode); // a bearer header works too
    }
}
