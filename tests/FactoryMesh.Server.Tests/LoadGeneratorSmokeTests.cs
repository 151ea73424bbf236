using System.Diagnostics;
using System.Text;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// The load generator's <c>--quick</c> and a small <c>--scrape</c> run as CI's smoke checks: it starts its own server process, registers, heartbeats,
/// storms and restarts a small fleet through the agent's client, and fails on any lost request or registration. Not
/// a gate on speed: the figures it prints are not asserted.
/// </summary>
public sealed class LoadGeneratorSmokeTests
{
    [Fact]
    public async Task A_quick_load_run_completes_with_no_errors_and_reports_every_phase()
    {
        var (exitCode, text) = await RunAsync("--quick");
        Assert.True(exitCode == 0, $"loadgen exited with {exitCode}:\n{text}");
        foreach (var phase in new[] { "registration: 4000 nodes", "capacity:", "steady at", "storm: all Ready", "restart: every node listed and Ready", "| server RSS per node, bytes |" })
        {
            Assert.Contains(phase, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_small_scrape_run_finds_one_series_per_node_with_per_node_metrics_and_none_without()
    {
        // The run checks the series against the fleet itself and fails otherwise; the table shows both configurations.
        var (exitCode, text) = await RunAsync("--scrape", "--runs", "1", "--sites", "2", "--nodes-per-site", "150", "--interval", "60", "--grace", "300");
        Assert.True(exitCode == 0, $"loadgen exited with {exitCode}:\n{text}");
        Assert.Matches(@"\| off \| [^\n]*\| 0 \|", text);
        Assert.Matches(@"\| on \| [^\n]*\| 300 \|", text);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FactoryMesh.LoadGen.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"loadgen {string.Join(' ', arguments)} did not finish within 3 minutes:\n{output}");
        }

        process.WaitForExit(); // drains the redirected output
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
