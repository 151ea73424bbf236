using System.Net.Http.Json;
using FactoryMesh.SimulatedTee;
using FactoryMesh.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace FactoryMesh.Server.Tests;

/// <summary>The dashboard in headless Chromium (Debian's chromium and chromium-driver), against the real server process.</summary>
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task A_nodes_badge_turns_from_trusted_to_stale_when_its_attestation_expires()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"factorymesh-browser-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        using var vendor = SimulatedVendorCa.Create("Browser Vendor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var rootPem = Path.Combine(dataDirectory, "vendor-root.pem");
        var referenceValues = Path.Combine(dataDirectory, "reference-values.json");
        await File.WriteAllTextAsync(rootPem, vendor.RootCertificatePem);
        await File.WriteAllTextAsync(referenceValues, SimulatedFleet.ReferenceValuesJson);
        try
        {
            await using var server = await ServerProcess.StartAsync(
                dataDirectory,
                $"--contentRoot={RepositoryPaths.ServerProject}",
                $"--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0={rootPem}",
                $"--FactoryMesh:Attestation:ReferenceValuesPath={referenceValues}",
                "--FactoryMesh:Attestation:MaxAgeSeconds=6");
            using var api = server.Client(server.OperatorToken);
            (await api.PutAsJsonAsync("/api/v1/sites/eu-fra-1", Fleet.Frankfurt)).EnsureSuccessStatusCode();
            await ApiAssert.OkJsonAsync(await api.PutAsJsonAsync("/api/v1/sites/eu-fra-1/nodes/node-1", SimulatedFleet.SimNode));

            using var browser = StartChromium();
            browser.Navigate().GoToUrl(new Uri(server.Address, $"/#token={server.OperatorToken}"));
            var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(20));
            const string Badge = "tr[data-node-id='eu-fra-1/node-1'] .badge";
            wait.Until(d => d.FindElements(By.CssSelector(Badge)).Count == 1 && d.FindElement(By.Id("connection")).Text == "live");

            using var device = vendor.IssueDevice("node-1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
            await ApiAssert.OkJsonAsync(await SimulatedFleet.AttestAsync(api, device, "eu-fra-1/node-1"));

            wait.Until(d => d.FindElement(By.CssSelector(Badge)).GetAttribute("data-state") == "Trusted");
            Screenshot(browser, "dashboard-trusted.png");
            wait.Until(d => d.FindElement(By.CssSelector(Badge)).GetAttribute("data-state") == "Stale");
            Screenshot(browser, "dashboard-stale.png");
            Assert.Contains("Trusted → Stale", browser.FindElement(By.Id("feed")).Text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
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
