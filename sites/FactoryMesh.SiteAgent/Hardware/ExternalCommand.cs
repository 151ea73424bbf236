using System.ComponentModel;
using System.Diagnostics;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// Runs a program without a shell (arguments are passed as they are, never interpreted), with a time limit, and
/// returns its exit code and standard output; given text for its standard input, writes it there first. Standard error
/// is read and dropped: an attestation client may print diagnostics there that nobody asked the agent to log.
/// </summary>
internal static class ExternalCommand
{
    /// <summary>Runs <paramref name="fileName"/>; throws <see cref="TimeoutException"/> past <paramref name="timeout"/> (the process is killed).</summary>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        string? standardInput = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new FileNotFoundException($"Cannot run '{fileName}': {exception.Message}", fileName, exception);
        }

        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var output = process.StandardOutput.ReadToEndAsync(limit.Token);
        var error = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            var standardOutput = await output.ConfigureAwait(false);
            await error.ConfigureAwait(false);
            return new CommandResult(process.ExitCode, standardOutput);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName}' did not finish within {timeout.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
