using System.Diagnostics;
using System.Text;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// The load generator's <c>--quick</c> run as CI's smoke check: it starts its own server process, registers, heartbeats,
/// storms and restarts a small fleet through the agent's client, and fails on any lost request or registration. Not
/// a gate on speed: the figures it prints are not asserted.
/// </summary>
public sealed class LoadGeneratorSmokeTests
{
    [Fact]
    public async Task A_quick_load_run_completes_with_no_errors_and_reports_every_phase()
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FactoryMesh.LoadGen.dll"));
        info.ArgumentList.Add("--quick");
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
            Assert.Fail($"The quick load run did not finish within 3 minutes:\n{output}");
        }

        var text = output.ToString();
        Assert.True(process.ExitCode == 0, $"loadgen exited with {process.ExitCode}:\n{text}");
        foreach (var phase in new[] { "registration: 4000 nodes", "capacity:", "steady at", "storm: all Ready", "restart: every node listed and Ready", "| server RSS per node, bytes |" })
        {
            Assert.Contains(phase, text, StringComparison.Ordinal);
        }
    }
}
