using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace FactoryMesh.Cli.Tests;

/// <summary>
/// The real fmctl (the built fmctl.dll, run by <c>dotnet</c> as a .NET tool runs it) as a child process, in an
/// empty working folder and with only the FactoryMesh variables a test gives it, so nothing from the machine
/// running the tests (a developer's own $FACTORYMESH_TOKEN, a ./data folder) can leak in.
/// </summary>
public sealed class FmctlProcess : IDisposable
{
    private static readonly string[] FactoryMeshVariables = ["FACTORYMESH_TOKEN", "FactoryMesh__DataDirectory"];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Channel<string> _outputLines = Channel.CreateUnbounded<string>();

    private FmctlProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Starts fmctl with <paramref name="arguments"/> and the given FactoryMesh environment variables.</summary>
    public static FmctlProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // Through env(1), so that SIGINT reaches fmctl as Ctrl+C reaches a program in a terminal, however the test
        // run was started: a runner launched as a background job ignores SIGINT, and children inherit that.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.CreateTempSubdirectory("fmctl-cwd-").FullName,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fmctl.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in FactoryMeshVariables)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var fmctl = new FmctlProcess(new Process { StartInfo = info });
        fmctl._process.OutputDataReceived += (_, e) => fmctl.OnOutput(e.Data);
        fmctl._process.ErrorDataReceived += (_, e) => Append(fmctl._error, e.Data);
        fmctl._process.Start();
        fmctl._process.BeginOutputReadLine();
        fmctl._process.BeginErrorReadLine();
        return fmctl;
    }

    /// <summary>Runs fmctl to the end.</summary>
    public static async Task<FmctlResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var fmctl = Start(environment, arguments);
        return await fmctl.WaitForExitAsync(RunTimeout);
    }

    /// <summary>The next line on standard output that satisfies <paramref name="match"/>, within <paramref name="timeout"/>.</summary>
    public async Task<string> NextLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _outputLines.Reader.ReadAsync(deadline.Token);
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No matching line from fmctl within {timeout.TotalSeconds} s.\nstdout:\n{Text(_output)}\nstderr:\n{Text(_error)}");
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for fmctl to exit by itself; kills it and fails when it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<FmctlResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fmctl did not exit within {timeout.TotalSeconds} s.\nstdout:\n{Text(_output)}\nstderr:\n{Text(_error)}");
        }

        // WaitForExitAsync returns once the redirected streams are drained, so the text is complete here.
        return new FmctlResult(_process.ExitCode, Text(_output), Text(_error));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        Directory.Delete(_process.StartInfo.WorkingDirectory, recursive: true);
        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _outputLines.Writer.TryComplete();
            return;
        }

        Append(_output, line);
        _outputLines.Writer.TryWrite(line);
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
