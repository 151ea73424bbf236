using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FactoryMesh.LoadGen;

/// <summary>
/// The server as its own process (FactoryMesh.Server.dll from this program's folder) on a fresh data folder, with
/// the baseline endpoint mapped. Stopped with SIGTERM as a service manager would, and started again in place.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly LoadGenOptions _options;
    private readonly string _clusterId;
    private readonly string? _keyEncryptionKey;
    private readonly int _httpPort = FreePort();
    private readonly int _siloPort = FreePort();
    private Process? _process;

    private ServerUnderTest(LoadGenOptions options, string? clusterId, string? keyEncryptionKey)
    {
        _options = options;
        _clusterId = clusterId ?? $"loadgen-{Guid.NewGuid():N}"[..24];
        _keyEncryptionKey = keyEncryptionKey;
        DataDirectory = Path.Combine(Path.GetTempPath(), $"factorymesh-loadgen-{Guid.NewGuid():N}");
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public Uri Address => new($"http://127.0.0.1:{_httpPort.ToString(CultureInfo.InvariantCulture)}");

    public string OperatorToken => File.ReadAllText(Path.Combine(DataDirectory, "operator.token")).Trim();

    /// <summary>When the current process was started.</summary>
    public long StartedTimestamp { get; private set; }

    public static async Task<ServerUnderTest> StartAsync(LoadGenOptions options)
    {
        var server = new ServerUnderTest(options, null, null);
        await server.LaunchAsync();
        return server;
    }

    /// <summary>A silo of the cluster <paramref name="clusterId"/> (PostgreSQL), sharing its secrets under <paramref name="keyEncryptionKey"/>.</summary>
    public static async Task<ServerUnderTest> StartSiloAsync(LoadGenOptions options, string clusterId, string keyEncryptionKey)
    {
        var server = new ServerUnderTest(options, clusterId, keyEncryptionKey);
        await server.LaunchAsync();
        return server;
    }

    /// <summary>CPU time the server process has used so far, user and system, seconds.</summary>
    public double CpuSeconds()
    {
        // /proc/<pid>/stat: the command (field 2) is in parentheses and may hold spaces; utime and stime are fields
        // 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
        var stat = File.ReadAllText($"/proc/{_process!.Id.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The server's resident memory now, bytes (VmRSS).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process!.Id.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>SIGTERM, and wait for the process to end (graceful: grains write what they hold).</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Starts the process again on the same data folder and ports; returns once the API answers.</summary>
    public Task RestartAsync() => LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }

            _process?.Dispose();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private async Task LaunchAsync()
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FactoryMesh.Server.dll"));
        foreach (var argument in Arguments())
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _options.ServerEnvironment)
        {
            info.Environment[name] = value;
        }

        _process?.Dispose();
        StartedTimestamp = Stopwatch.GetTimestamp();
        _process = Process.Start(info) ?? throw new InvalidOperationException("The server process did not start.");
        _process.OutputDataReceived += (_, _) => { }; // drained, so a full pipe never stalls the server
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine($"server: {line}"); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    private IEnumerable<string> Arguments()
    {
        yield return "--urls";
        yield return Address.ToString();
        yield return $"--FactoryMesh:DataDirectory={DataDirectory}";
        yield return $"--FactoryMesh:ClusterId={_clusterId}";
        yield return $"--FactoryMesh:Silo:Port={_siloPort.ToString(CultureInfo.InvariantCulture)}";
        yield return $"--FactoryMesh:Heartbeat:IntervalSeconds={_options.HeartbeatIntervalSeconds.ToString(CultureInfo.InvariantCulture)}";
        yield return $"--FactoryMesh:Placement:GraceSeconds={_options.GraceSeconds.ToString(CultureInfo.InvariantCulture)}";
        yield return "--FactoryMesh:Diagnostics:BaselineEndpoint=true";
        yield return $"--FactoryMesh:Storage={_options.Storage}";
        if (_options.ConnectionString is { } connectionString)
        {
            yield return $"--ConnectionStrings:FactoryMesh={connectionString}";
        }

        if (_options.Storage == "PostgreSql")
        {
            // Loopback only, one machine: the benchmark runs without silo certificates (for one silo and for several
            // alike), so TLS's cost between silos is not in the figures.
            yield return "--FactoryMesh:Silo:Tls:Insecure=true";
            yield return "--FactoryMesh:Silo:AdvertisedAddress=127.0.0.1";
        }

        if (_keyEncryptionKey is not null)
        {
            yield return $"--FactoryMesh:Cluster:KeyEncryptionKey={_keyEncryptionKey}";
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode.ToString(CultureInfo.InvariantCulture)} before it was ready.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server was not ready within 120 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
