using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace FactoryMesh.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory, listening on
/// 127.0.0.1 only (trust authentication, no password) on a free port, with its Unix sockets in that
/// directory. It is built from the machine's own PostgreSQL binaries (<c>initdb</c>, <c>pg_ctl</c>, found
/// on PATH or under /usr/lib/postgresql/*/bin), is stopped hard and deleted on dispose, and never skips: if
/// something it needs is missing, <see cref="StartAsync"/> throws an exception that names it.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root. When the tests run as root (as in CI), the server runs as the
/// <c>postgres</c> OS user (through <c>runuser</c>), which owns the temporary directory; otherwise it runs
/// as the current user. Durability is switched off (fsync, synchronous commit): the data is thrown away.
/// </remarks>
public sealed partial class PostgreSqlServer : IAsyncDisposable
{
    private const string ServerOsUser = "postgres";
    private const string SuperUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    // Where util-linux puts runuser when sbin is not on PATH.
    private static readonly string[] RunUserLocations = ["/usr/sbin/runuser", "/sbin/runuser"];

    // libpq settings meant for some other server; they must not leak into the tools this class runs.
    private static readonly string[] ForeignServerVariables = ["PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS"];

    private readonly string _rootDirectory;
    private readonly string _dataDirectory;
    private readonly string _pgCtl;
    private readonly string? _runUser;
    private int _disposed;

    private PostgreSqlServer(string rootDirectory, string pgCtl, string? runUser, int port)
    {
        _rootDirectory = rootDirectory;
        _dataDirectory = Path.Combine(rootDirectory, "data");
        _pgCtl = pgCtl;
        _runUser = runUser;
        Port = port;
        ConnectionString = BuildConnectionString(port, "postgres");
    }

    /// <summary>The TCP port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>An Npgsql connection string for the superuser on the maintenance database <c>postgres</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's log file, worth reading when a test fails inside the database.</summary>
    public string LogFile => Path.Combine(_rootDirectory, "server.log");

    /// <summary>Creates a cluster in a new temporary directory, starts it and waits until it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">A binary or the OS user the server needs is missing, or the server did not start.</exception>
    public static async Task<PostgreSqlServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var (initDb, pgCtl) = FindServerBinaries();
        var runUser = Environment.IsPrivilegedProcess ? FindRunUser() : null;
        var root = Directory.CreateTempSubdirectory("factorymesh-pg-").FullName;
        try
        {
            if (runUser is not null)
            {
                // The server runs as 'postgres', which must own its data directory and be able to put sockets here.
                await RunAsync(Which("chown") ?? "chown", [$"{ServerOsUser}:", root], root, null, cancellationToken).ConfigureAwait(false);
            }

            var data = Path.Combine(root, "data");
            await RunAsync(initDb,
                ["-D", data, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                root, runUser, cancellationToken).ConfigureAwait(false);
            await ConfigureAsync(data, root, cancellationToken).ConfigureAwait(false);

            // A port taken between probing and binding makes pg_ctl fail; try a few fresh ones.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeTcpPort();
                var server = new PostgreSqlServer(root, pgCtl, runUser, port);
                try
                {
                    await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
                    await server.WaitUntilAcceptingConnectionsAsync(cancellationToken).ConfigureAwait(false);
                    return server;
                }
                catch (Exception e)
                {
                    // Whatever went wrong, a server that did come up must not outlive this call.
                    await server.StopServerAsync().ConfigureAwait(false);
                    if (e is not InvalidOperationException || attempt >= 3 || cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                }
            }
        }
        catch
        {
            TryDeleteDirectory(root);
            throw;
        }
    }

    /// <summary>
    /// Creates a new, empty database and returns a connection string for it. <paramref name="name"/> is a
    /// plain lower-case identifier (letters, digits, underscores).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain lower-case identifier (a-z, 0-9, _; at most 63 characters).", nameof(name));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return BuildConnectionString(Port, name);
    }

    /// <summary>Stops the server immediately, as a crash or a network partition would (a database outage); its data stays for <see cref="ResumeAsync"/>.</summary>
    public async Task SuspendAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await StopServerAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the server again on the same port and data after <see cref="SuspendAsync"/>.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await StartServerAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools(); // this process's pooled connections died with the old server
        await WaitUntilAcceptingConnectionsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server immediately (no checkpoint) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await StopServerAsync().ConfigureAwait(false);
        TryDeleteDirectory(_rootDirectory);
    }

    private static string BuildConnectionString(int port, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = port,
        Username = SuperUser,
        Database = database,
        IncludeErrorDetail = true,
        Timeout = 15,
    }.ConnectionString;

    private static async Task ConfigureAsync(string data, string socketDirectory, CancellationToken cancellationToken)
    {
        // Appended settings win over initdb's defaults. The files belong to 'postgres'; writing to them as
        // root keeps their owner and mode.
        var settings = new StringBuilder()
            .AppendLine()
            .AppendLine("# FactoryMesh test server")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{socketDirectory}'")
            .AppendLine("max_connections = 200")
            .AppendLine("shared_buffers = 32MB")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off")
            .AppendLine("timezone = 'UTC'")
            .AppendLine("log_min_messages = warning")
            .ToString();
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), settings, cancellationToken).ConfigureAwait(false);

        // Trust, but only over the private socket directory and the loopback address.
        const string hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n";
        await File.WriteAllTextAsync(Path.Combine(data, "pg_hba.conf"), hba, cancellationToken).ConfigureAwait(false);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {Port}");
        try
        {
            await RunAsync(_pgCtl, ["-D", _dataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"],
                _rootDirectory, _runUser, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- server log ({LogFile}) ---\n{ReadLogTail()}", e);
        }
    }

    private async Task WaitUntilAcceptingConnectionsAsync(CancellationToken cancellationToken)
    {
        // pg_ctl -w already waited for the server to be ready; this confirms it over TCP with the connection string.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL started but does not accept connections on 127.0.0.1:{Port}.\n--- server log ---\n{ReadLogTail()}", e);
            }
        }
    }

    private async Task StopServerAsync()
    {
        if (!File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await RunAsync(_pgCtl, ["-D", _dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"],
                _rootDirectory, _runUser, CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            KillPostmaster();
        }
    }

    // Last resort when pg_ctl cannot stop the server: the postmaster this object started, by its process id.
    private void KillPostmaster()
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(_dataDirectory, "postmaster.pid")).FirstOrDefault();
            if (int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill(entireProcessTree: true);
                postmaster.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private string ReadLogTail()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    private static (string InitDb, string PgCtl) FindServerBinaries()
    {
        var initDb = Which("initdb");
        var pgCtl = Which("pg_ctl");
        if (initDb is not null && pgCtl is not null)
        {
            return (initDb, pgCtl);
        }

        // Debian and Ubuntu keep the server binaries off PATH, one directory per major version; take the newest.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Directory, "bin", "initdb")) && File.Exists(Path.Combine(d.Directory, "bin", "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return (Path.Combine(newest, "initdb"), Path.Combine(newest, "pg_ctl"));
            }
        }

        var missing = string.Join(" and ", new[] { ("initdb", initDb), ("pg_ctl", pgCtl) }.Where(b => b.Item2 is null).Select(b => b.Item1));
        throw new InvalidOperationException(
            $"The PostgreSQL server binaries are missing: {missing} is on neither PATH nor under {debianRoot}/*/bin. " +
            "Install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql) to run the PostgreSQL tests.");
    }

    private static string FindRunUser()
    {
        if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServerOsUser + ":", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                $"The tests run as root, which PostgreSQL refuses, and there is no '{ServerOsUser}' OS user to run the server as. " +
                "Installing the PostgreSQL server package creates it (Debian/Ubuntu: apt-get install postgresql), or run the tests as a normal user.");
        }

        return Which("runuser") ?? RunUserLocations.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The tests run as root, which PostgreSQL refuses, and 'runuser' (util-linux) is missing, so the server cannot be started as '{ServerOsUser}'.");
    }

    private static string? Which(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // Runs a tool to completion (as 'postgres' through runuser when runUser is set) and throws with its
    // output when it fails or hangs.
    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, string? runUser, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = runUser ?? fileName,
            WorkingDirectory = workingDirectory, // 'postgres' cannot read root's home, and PostgreSQL tools look at their cwd.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runUser is not null)
        {
            foreach (var prefix in new[] { "-u", ServerOsUser, "--", fileName })
            {
                startInfo.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var variable in ForeignServerVariables)
        {
            startInfo.Environment.Remove(variable);
        }

        var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName));
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run '{commandLine}': {e.Message}", e);
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new InvalidOperationException($"'{commandLine}' did not finish within {CommandTimeout.TotalSeconds:0} s.");
        }

        var text = (await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{commandLine}' failed with exit code {process.ExitCode}:\n{text}");
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary directory is not worth failing a test run for.
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
