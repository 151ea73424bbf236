using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace FactoryMesh.ServerHost;

/// <summary>
/// The server as its own OS process (the built FactoryMesh.Server.dll, as <c>dotnet run</c> starts it), on a
/// data folder and ports of its own. Stopped with SIGTERM, as a service manager stops it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ServerProcess(Process process, StringBuilder output, string dataDirectory, Uri address, ServerPorts ports)
    {
        _process = process;
        _output = output;
        DataDirectory = dataDirectory;
        Address = address;
        Ports = ports;
    }

    /// <summary>The ports it listens on; start a server with them again to restart it in place.</summary>
    public ServerPorts Ports { get; }

    /// <summary>The data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>Where the API listens.</summary>
    public Uri Address { get; }

    /// <summary>What the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server on <paramref name="dataDirectory"/> and waits until it is ready.</summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArguments) =>
        StartAsync(dataDirectory, ServerPorts.Free(), extraArguments);

    /// <summary>Starts the server on <paramref name="dataDirectory"/> and <paramref name="ports"/> and waits until it is ready.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, ServerPorts ports, params string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var address = new Uri($"http://127.0.0.1:{ports.Http.ToString(CultureInfo.InvariantCulture)}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FactoryMesh.Server.dll"));
        foreach (var argument in new[]
        {
            "--urls", address.ToString(),
            $"--FactoryMesh:DataDirectory={dataDirectory}",
            $"--FactoryMesh:Silo:Port={ports.Silo.ToString(CultureInfo.InvariantCulture)}",
        }.Concat(extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, output, dataDirectory, address, ports);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>An HTTP client for the server carrying <paramref name="token"/>.</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>The operator token the server wrote to its data folder.</summary>
    public string OperatorToken => File.ReadAllText(Path.Combine(DataDirectory, "operator.token")).Trim();

    /// <summary>Sends SIGTERM and waits for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The server did not stop within 60 s of SIGTERM. Output:\n{Output}");
        }
    }

    /// <summary>Sends SIGKILL, as a crash or an out-of-memory kill would: no shutdown, no goodbye to the cluster.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = Client(null);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Exited is raised before the redirected output is read to its end: wait for that, or the reason is lost.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} while starting. Output:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server at {Address} was not ready within 90 s. Output:\n{Output}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
