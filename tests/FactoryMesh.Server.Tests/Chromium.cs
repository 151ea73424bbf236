using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace FactoryMesh.Server.Tests;

/// <summary>Headless Chromium (Debian's chromium and chromium-driver) driving the dashboard, for the browser tests.</summary>
public static class Chromium
{
    /// <summary>A browser with the dashboard at <paramref name="server"/> open, the token in the address's fragment.</summary>
    public static ChromeDriver Open(Uri server, string token, string fragment = "")
    {
        var browser = Start();
        browser.Navigate().GoToUrl(new Uri(server, $"/#token={token}{fragment}"));
        return browser;
    }

    /// <summary>
    /// A wait that retries reads of elements the dashboard just replaced (it redraws a node's row when its state
    /// changes, so an element found a moment ago can be detached by the time it is read).
    /// </summary>
    public static WebDriverWait Waiting(IWebDriver browser, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(browser, timeout ?? TimeSpan.FromSeconds(20));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait;
    }

    /// <summary>Picks an option as a user does, by clicking it, which fires the select's change event.</summary>
    public static void Choose(ChromeDriver browser, string selectId, string value)
    {
        ArgumentNullException.ThrowIfNull(browser);
        browser.FindElement(By.CssSelector($"#{selectId} option[value='{value}']")).Click();
    }

    /// <summary>Saves the page's top as <c>artifacts/test-screenshots/{name}</c>.</summary>
    public static void Screenshot(ChromeDriver browser, string name)
    {
        ArgumentNullException.ThrowIfNull(browser);
        browser.ExecuteScript("window.scrollTo(0, 0);");
        browser.GetScreenshot().SaveAsFile(Path.Combine(RepositoryPaths.Artifacts, name));
    }

    private static ChromeDriver Start()
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1200",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), $"chromium-{Guid.NewGuid():N}")}");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
