using System.Globalization;
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
        var wait = Chromium.Waiting(browser);
        var badge = $"tr[data-node-id='{nodeId}'] .badge";
        wait.Until(d => d.FindElements(By.CssSelector(badge)).Count == 1 && d.FindElement(By.Id("connection")).Text == "live");

        using var device = fixture.Vendor.IssueDevice(nodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, nodeId));

        wait.Until(d => d.FindElement(By.CssSelector(badge)).GetAttribute("data-state") == "Trusted");
        Chromium.Screenshot(browser, "dashboard-trusted.png");
        wait.Until(d => d.FindElement(By.CssSelector(badge)).GetAttribute("data-state") == "Stale");
        Chromium.Screenshot(browser, "dashboard-stale.png");
        Assert.Contains("Trusted → Stale", browser.FindElement(By.Id("feed")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_opened_after_a_placement_shows_every_panel_as_it_was_before_it_opened()
    {
        var server = fixture.Server;
        var siteId = Fleet.UniqueSiteId();
        var (nodeId, unattested) = ($"{siteId}/node-1", $"{siteId}/node-2");
        var tenantId = $"t-{Guid.NewGuid():N}"[..10];
        using var api = server.Client(server.OperatorToken);
        (await api.PutAsJsonAsync($"/api/v1/sites/{siteId}", Fleet.Frankfurt)).EnsureSuccessStatusCode();
        var epoch = (await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode))).GetProperty("epoch").GetInt64();
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-2", SimulatedFleet.SimNode));
        await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync($"/api/v1/sites/{siteId}/heartbeats", new[] { Fleet.Heartbeat(nodeId, epoch) }));
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/tenants/{tenantId}", new { allowedZones = new[] { "EU" } }));
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/models/llm",
            new { gpuMemoryGiB = 80, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_000 }, replicas = 1 }));
        using var device = fixture.Vendor.IssueDevice(nodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, nodeId));
        await ApiAssert.OkJsonAsync(await api.PostAsync($"/api/v1/tenants/{tenantId}/models/llm/placement", null));
        await Task.Delay(TimeSpan.FromSeconds(2)); // two samples of the site in the server's history

        // Everything above happened before the page opened; the page must show it without any live event.
        using var browser = OpenDashboard();
        var wait = Chromium.Waiting(browser);
        var model = $"{tenantId}/llm";
        var replica = $"#models tr[data-model='{model}'][data-node-id='{nodeId}']";
        wait.Until(d => d.FindElements(By.CssSelector(replica)).Count == 1);
        var replicaText = browser.FindElement(By.CssSelector(replica)).Text;
        Assert.Contains(siteId, replicaText, StringComparison.Ordinal);
        Assert.Matches(@"\d+\.\d{4}", replicaText); // $ per million tokens
        Assert.Contains("Placed: 1 of 1 replicas", browser.FindElement(By.CssSelector($"#models tr[data-model-total='{model}']")).Text, StringComparison.Ordinal);
        Assert.Contains($"{model} placed on {nodeId}", browser.FindElement(By.Id("decisions")).Text, StringComparison.Ordinal);
        var feed = browser.FindElement(By.Id("feed")).Text;
        Assert.Contains($"{nodeId}: appraisal pass", feed, StringComparison.Ordinal);
        Assert.Contains($"{nodeId}: replica-placed", feed, StringComparison.Ordinal);

        // The trend charts are drawn from the server's history of the site (its heartbeat: 8,000 W).
        var power = $"figure[data-figure='powerWatts']";
        wait.Until(d => int.Parse(d.FindElement(By.CssSelector(power)).GetAttribute("data-points")!, CultureInfo.InvariantCulture) >= 2
            && d.FindElement(By.CssSelector($"{power} figcaption [data-site-id='{siteId}']")).Text.Contains("8.0 kW", StringComparison.Ordinal));
        Assert.NotEmpty(browser.FindElements(By.CssSelector($"{power} canvas")));

        // Why not elsewhere: the unattested node is listed with its reason.
        Chromium.Choose(browser, "explain-model", model);
        wait.Until(d => d.FindElements(By.CssSelector($"#excluded tr[data-node-id='{unattested}']")).Count == 1);
        Assert.Contains("Trust", browser.FindElement(By.CssSelector($"#excluded tr[data-node-id='{unattested}']")).Text, StringComparison.OrdinalIgnoreCase);

        // Nodes filtered by site and trust state.
        Chromium.Choose(browser, "node-site-filter", siteId);
        wait.Until(d => d.FindElements(By.CssSelector("#nodes tbody tr")).Count == 2);
        Chromium.Choose(browser, "node-trust-filter", "Unknown");
        wait.Until(d => d.FindElements(By.CssSelector("#nodes tbody tr")).Select(r => r.GetAttribute("data-node-id")).SequenceEqual([unattested]));
        Chromium.Screenshot(browser, "dashboard-history.png");
    }

    [Fact]
    public async Task A_viewer_sees_its_tenants_models_and_sites_and_nothing_of_another_tenant()
    {
        var server = fixture.Server;
        using var api = server.Client(server.OperatorToken);
        var (mine, theirs) = ($"t-{Guid.NewGuid():N}"[..10], $"t-{Guid.NewGuid():N}"[..10]);
        var (mySite, theirSite) = (Fleet.UniqueSiteId(), Fleet.UniqueSiteId());
        (await api.PutAsJsonAsync($"/api/v1/sites/{mySite}", new { jurisdiction = "DE", zones = new[] { "EU" }, electricityUsdPerKwh = 0.2, pue = 1.2, carbonGramsPerKwh = 300 })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"/api/v1/sites/{theirSite}", new { jurisdiction = "BR", zones = new[] { "LATAM" }, electricityUsdPerKwh = 0.2, pue = 1.2, carbonGramsPerKwh = 300 })).EnsureSuccessStatusCode();
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/tenants/{mine}", new { allowedJurisdictions = new[] { "DE" } }));
        await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/tenants/{theirs}", new { allowedJurisdictions = new[] { "BR" } }));
        var nodes = new List<SimulatedTeeDevice>();
        try
        {
            foreach (var (site, tenant) in new[] { (mySite, mine), (theirSite, theirs) })
            {
                var nodeId = $"{site}/node-1";
                await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{site}/nodes/node-1", SimulatedFleet.SimNode));
                var device = fixture.Vendor.IssueDevice(nodeId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
                nodes.Add(device);
                await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, nodeId));
                await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/tenants/{tenant}/models/llm",
                    new { gpuMemoryGiB = 80, tokensPerSecondByGpu = new Dictionary<string, double> { ["H100"] = 2_000 }, replicas = 1 }));
                await ApiAssert.OkJsonAsync(await api.PostAsync($"/api/v1/tenants/{tenant}/models/llm/placement", null));
            }

            var issued = await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync("/api/v1/tokens", new { role = "viewer", tenant = mine }));
            using var browser = OpenDashboard(issued.GetProperty("token").GetString()!);
            var wait = Chromium.Waiting(browser);
            wait.Until(d => d.FindElements(By.CssSelector($"#models tr[data-model='{mine}/llm'][data-node-id='{mySite}/node-1']")).Count == 1
                && d.FindElements(By.CssSelector($"#sites tr[data-site-id='{mySite}']")).Count == 1
                && d.FindElement(By.Id("connection")).Text == "live");

            // Theirs changes while the viewer watches: nothing of it may reach the page.
            await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync($"{Fleet.NodeUrl($"{theirSite}/node-1")}/revoke", new { reason = "viewer isolation check" }));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Chromium.Screenshot(browser, "dashboard-viewer.png");
            var page = browser.FindElement(By.TagName("main")).Text;
            Assert.DoesNotContain(theirs, page, StringComparison.Ordinal);
            Assert.DoesNotContain(theirSite, page, StringComparison.Ordinal);
            Assert.Contains($"viewer of {mine}", browser.FindElement(By.Id("identity")).Text, StringComparison.Ordinal);
            Assert.Contains($"{mine}/llm placed on {mySite}/node-1", browser.FindElement(By.Id("decisions")).Text, StringComparison.Ordinal);
            Assert.All(browser.FindElements(By.CssSelector("#sites tbody tr")), row => Assert.Equal(mySite, row.GetAttribute("data-site-id")));
            Assert.False(browser.FindElement(By.Id("nodes-section")).Displayed);
        }
        finally
        {
            nodes.ForEach(n => n.Dispose());
        }
    }

    [Fact]
    public async Task A_dashboard_that_lost_its_connection_reconnects_and_fills_the_gap_from_the_ledger()
    {
        var siteId = Fleet.UniqueSiteId();
        var nodeId = $"{siteId}/node-1";
        using (var api = fixture.Server.Client(fixture.Server.OperatorToken))
        {
            (await api.PutAsJsonAsync($"/api/v1/sites/{siteId}", Fleet.Frankfurt)).EnsureSuccessStatusCode();
            await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1", SimulatedFleet.SimNode));
        }

        using var browser = OpenDashboard();
        var wait = Chromium.Waiting(browser);
        wait.Until(d => d.FindElement(By.Id("connection")).Text == "live" && d.FindElements(By.CssSelector($"#nodes tr[data-node-id='{nodeId}']")).Count == 1);

        // The server goes away; the page says so. Its client retries at 0 and 2 s, then 10 s later: the revocation
        // below, made as soon as the server is back, happens while the page is still disconnected.
        await fixture.RestartAsync(() =>
        {
            wait.Until(d => d.FindElement(By.Id("connection")).Text == "reconnecting");
            return Task.CompletedTask;
        });
        using (var api = fixture.Server.Client(fixture.Server.OperatorToken))
        {
            await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/revoke", new { reason = "revoked during the gap" }));
        }

        Chromium.Waiting(browser, TimeSpan.FromSeconds(60)).Until(d => d.FindElement(By.Id("connection")).Text == "live"
            && d.FindElements(By.CssSelector("#feed li[data-source='gap']")).Any(li => li.Text.Contains("reconnected after", StringComparison.Ordinal)));
        var filled = browser.FindElements(By.CssSelector("#feed li[data-source='gap']")).Select(li => li.Text).ToList();
        Assert.Contains(filled, text => text.Contains($"{nodeId}: Unknown → Untrusted", StringComparison.Ordinal) || text.Contains($"{nodeId}: node-revocation", StringComparison.Ordinal));
        Assert.Equal("Untrusted", browser.FindElement(By.CssSelector($"#nodes tr[data-node-id='{nodeId}'] .badge")).GetAttribute("data-state"));
        Chromium.Screenshot(browser, "dashboard-reconnected.png");
    }

    [Fact]
    public async Task The_feed_pages_back_through_the_ledger_below_what_it_shows()
    {
        var siteId = Fleet.UniqueSiteId();
        using var api = fixture.Server.Client(fixture.Server.OperatorToken);
        (await api.PutAsJsonAsync($"/api/v1/sites/{siteId}", Fleet.Frankfurt)).EnsureSuccessStatusCode();
        for (var i = 1; i <= 30; i++)
        {
            await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-{i:D2}", SimulatedFleet.SimNode));
        }

        // 60 records (a revocation and a transition each) after the first node's revocation: the page opens with the newest 50.
        for (var i = 1; i <= 30; i++)
        {
            await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync($"{Fleet.NodeUrl($"{siteId}/node-{i:D2}")}/revoke", new { reason = "paging" }));
        }

        using var browser = OpenDashboard();
        var wait = Chromium.Waiting(browser);
        var (first, last) = ($"{siteId}/node-01: node-revocation", $"{siteId}/node-30: node-revocation");
        wait.Until(d => d.FindElement(By.Id("connection")).Text == "live" && d.FindElement(By.Id("feed")).Text.Contains(last, StringComparison.Ordinal));
        Assert.DoesNotContain(first, browser.FindElement(By.Id("feed")).Text, StringComparison.Ordinal);

        browser.FindElement(By.Id("feed-earlier")).Click();
        wait.Until(d => d.FindElement(By.Id("feed")).Text.Contains(first, StringComparison.Ordinal));
        var items = browser.FindElements(By.CssSelector("#feed li")).Select(li => li.Text).ToList();
        Assert.True(items.FindIndex(t => t.Contains(first, StringComparison.Ordinal)) > items.FindIndex(t => t.Contains(last, StringComparison.Ordinal)), "the earlier page goes below the newer events");
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
        var wait = Chromium.Waiting(browser);
        wait.Until(d => d.FindElement(By.Id("connection")).Text == "live"
            && d.FindElements(By.CssSelector($"tr[data-node-id='{signed}'] .badge[data-state='Untrusted']")).Count == 1);

        // After the page loads: an operator's revocation reason with the same markup arrives over the live stream.
        await ApiAssert.OkJsonAsync(await api.PostAsJsonAsync($"{Fleet.NodeUrl(revoked)}/revoke", new { reason = Hostile }));
        wait.Until(d => d.FindElements(By.CssSelector($"tr[data-node-id='{revoked}'] .badge[data-state='Untrusted']")).Count == 1);
        wait.Until(d => d.FindElement(By.Id("feed")).Text.Contains("onerror", StringComparison.Ordinal));
        Chromium.Screenshot(browser, "dashboard-hostile.png");

        Assert.Empty(browser.FindElements(By.CssSelector("main img, #injected")));
        Assert.Null(((IJavaScriptExecutor)browser).ExecuteScript("return document.body.dataset.pwned ?? null;"));
        var reason = browser.FindElement(By.CssSelector($"tr[data-node-id='{revoked}'] .badge")).GetAttribute("title");
        Assert.Contains(Hostile, reason, StringComparison.Ordinal); // shown whole, as text
        var appraised = browser.FindElement(By.CssSelector($"tr[data-node-id='{signed}'] .badge")).GetAttribute("title");
        Assert.DoesNotContain("<", appraised, StringComparison.Ordinal); // evidence values arrive sanitized from the server
    }

    private ChromeDriver OpenDashboard(string? token = null) => Chromium.Open(fixture.Server.Address, token ?? fixture.Server.OperatorToken);
}
