using System.Net.Http.Json;
using FactoryMesh.SimulatedTee;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace FactoryMesh.Server.Tests;

/// <summary>The dashboard in headless Chromium (Debian's chromium and chromium-driver), against the real server process.</summary>
public sealed class DashboardBrowserTests(BrowserServerFixture fixture) : IClassFixture<BrowserServerFixture>
{
    // What a compromised node signs into its evidence and a careless operator types into a revocation reason: markup that
    // would run script and mark the page if the dashboard ever parsed it as HTML.
    private const string Hostile = "\"'><img src=x onerror=\"document.body.dataset.pwned='yes'\"><b id=injected>x</b>";

    [Fact]
    public async Task A_nodes_badge_turns_from_trusted_to_stale_when_its_attestation_expires()
    {
        var server = fixture.Server;
        var siteId = Fleet.UniqueSiteId();
        var nodeId = $"{siteId}/node-1";
        using var api = server.Client(server.OperatorToken);
        (await api.PutAsJsonAsync($"/api/v1/sites/{siteId}", Fleet.Frankfurt)).EnsureSuccessStatusCode();
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));

        using var browser = OpenDashboard();
        var wait = Waiting(browser);
        var badge = $"tr[data-node-id='{nodeId}'] .badge";
        wait.Until(d => d.FindElements(By.CssSelector(badge)).Count == 1 && d.FindElement(By.Id("connection")).Text == "live");

        using var device = fixture.Vendor.IssueDevice(nodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, nodeId));

        wait.Until(d => d.FindElement(By.CssSelector(badge)).GetAttribute("data-state") == "Trusted");
        Screenshot(browser, "dashboard-trusted.png");
        wait.Until(d => d.FindElement(By.CssSelector(badge)).GetAttribute("data-state") == "Stale");
        Screenshot(browser, "dashboard-stale.png");
        Assert.Contains("Trusted → Stale", browser.FindElement(By.Id("feed")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_opened_after_a_placement_shows_the_replica_and_the_history_that_led_to_it()
    {
        var server = fixture.Server;
        var siteId = Fleet.UniqueSiteId();
        var nodeId = $"{siteId}/node-1";
        var tenantId = $"t-{Guid.NewGuid():N}"[..10];
        using var api = server.Client(server.OperatorToken);
        (await api.PutAsJsonAsync($"/api/v1/sites/{siteId}", Fleet.Frankfurt)).EnsureSuccessStatusCode();
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", new { allowedZones = new[] { "EU" } }));
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/llm",
            new { gpuMemoryGiB = 80, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_000 }, replicas = 1 }));
        using var device = fixture.Vendor.IssueDevice(nodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, nodeId));
        await ApiAssert.OkJsonAsync(await api.PostAsync($"/api/v1/tenants/{tenantId}/models/llm/placement", null));

        // Everything above happened before the page opened; the page must show it without any live event.
        using var browser = OpenDashboard();
        var wait = Waiting(browser);
        wait.Until(d => d.FindElement(By.Id("models")).Text.Contains($"{tenantId}/llm", StringComparison.Ordinal));
        Assert.Contains(nodeId, browser.FindElement(By.Id("models")).Text, StringComparison.Ordinal);
        var feed = browser.FindElement(By.Id("feed")).Text;
        Assert.Contains($"{nodeId}: appraisal pass", feed, StringComparison.Ordinal);
        Assert.Contains($"{nodeId}: replica-placed", feed, StringComparison.Ordinal);
        Screenshot(browser, "dashboard-history.png");
    }

    [Fact]
    public async Task Hostile_evidence_and_reasons_reach_the_dashboard_as_text_never_as_markup()
    {
        var server = fixture.Server;
        var siteId = Fleet.UniqueSiteId();
        var (signed, revoked) = ($"{siteId}/node-1", $"{siteId}/node-2");
        using var api = server.Client(server.OperatorToken);
        (await api.PutAsJsonAsync($"/api/v1/sites/{siteId}", Fleet.Frankfurt)).EnsureSuccessStatusCode();
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-2", SimulatedFleet.SimNode));

        // Before the page loads: node-1's own (compromised) device signs markup as a GPU id and a measurement value.
        using var device = fixture.Vendor.IssueDevice(signed, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        var challenge = await ApiAssert.OkJsonAsync(await api.PostAsync($"{Fleet.NodeUrl(signed)}/attestation/challenge", null));
        var measurements = new Dictionary<string, string>(SimulatedFleet.GpuMeasurements) { ["driver"] = Hostile };
        var gpus = SimulatedGpu.Slots(8, SimulatedFleet.GpuMeasurements).Select((g, i) => i == 0 ? g with { Id = Hostile, Measurements = measurements } : g).ToList();
        var evidence = device.CreateEvidence(new SimulatedEvidence(signed, challenge.GetProperty("nonce").GetString()!, "SIM", SimulatedFleet.CpuMeasurements, gpus));
        await api.PostAsJsonAsync($"{Fleet.NodeUrl(signed)}/attestation", new { format = "sim-jws", evidence });

        using var browser = OpenDashboard();
        var wait = Waiting(browser);
        wait.Until(d => d.FindElement(By.Id("connection")).Text == "live"
            && d.FindElements(By.CssSelector($"tr[data-node-id='{signed}'] .badge[data-state='Untrusted']")).Count == 1);

        // After the page loads: an operator's revocation reason with the same markup arrives over the live stream.
        await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync($"{Fleet.NodeUrl(revoked)}/revoke", new { reason = Hostile }));
        wait.Until(d => d.FindElements(By.CssSelector($"tr[data-node-id='{revoked}'] .badge[data-state='Untrusted']")).Count == 1);
        wait.Until(d => d.FindElement(By.Id("feed")).Text.Contains("onerror", StringComparison.Ordinal));
        Screenshot(browser, "dashboard-hostile.png");

        Assert.Empty(browser.FindElements(By.CssSelector("main img, #injected")));
        Assert.Null(((IJavaScriptExecutor)browser).ExecuteScript("return document.body.dataset.pwned ?? null;"));
        var reason = browser.FindElement(By.CssSelector($"tr[data-node-id='{revoked}'] .badge")).GetAttribute("title");
        Assert.Contains(Hostile, reason, StringComparison.Ordinal); // shown whole, as text
        var appraised = browser.FindElement(By.CssSelector($"tr[data-node-id='{signed}'] .badge")).GetAttribute("title");
        Assert.DoesNotContain("<", appraised, StringComparison.Ordinal); // evidence values arrive sanitized from the server
    }

    // The dashboard replaces a node's row when its state changes, so an element found a moment ago can be detached
    // by the time it is read: such a read is retried, not failed.
    private static WebDriverWait Waiting(IWebDriver browser)
    {
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(20));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait;
    }

    private ChromeDriver OpenDashboard()
    {
        var browser = StartChromium();
        browser.Navigate().GoToUrl(new Uri(fixture.Server.Address, $"/#token={fixture.Server.OperatorToken}"));
        return browser;
    }

    private static ChromeDriver StartChromium()
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,900",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), $"chromium-{Guid.NewGuid():N}")}");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static void Screenshot(ChromeDriver browser, string name) =>
        browser.GetScreenshot().SaveAsFile(Path.Combine(RepositoryPaths.Artifacts, name));
}
