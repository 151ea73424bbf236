using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl db init</c>: the schema installed as a step of its own, checked, and refused clearly.</summary>
public sealed class DbCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("fmctl-db-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Init_installs_every_script_and_check_then_finds_the_schema_current()
    {
        var database = $"Data Source={Path.Combine(_folder, "fresh.db")}";

        var before = await FmctlProcess.RunAsync(NoEnvironment, "db", "init", "--storage", "Sqlite", "--connection-string", database, "--check");
        Assert.Equal(1, before.ExitCode);
        Assert.StartsWith("7 of 7 scripts not run: 000-schema-history.sql, 001-query-table.sql", before.StandardOutput, StringComparison.Ordinal);

        var installed = (await FmctlProcess.RunAsync(NoEnvironment, "db", "init", "--storage", "Sqlite", "--connection-string", database)).AssertSucceeded();
        Assert.Equal("schema installed: 7 scripts, 7 of them new or changed", installed.StandardOutput.Trim());

        var again = (await FmctlProcess.RunAsync(NoEnvironment, "db", "init", "--storage", "Sqlite", "--connection-string", database, "-o", "json")).AssertSucceeded();
        var report = JsonDocument.Parse(again.StandardOutput).RootElement;
        Assert.Empty(report.GetProperty("pending").EnumerateArray()); // an upgrade with nothing new runs every script and changes nothing
        Assert.True(report.GetProperty("installed").GetBoolean());

        var check = (await FmctlProcess.RunAsync(NoEnvironment, "db", "init", "--storage", "Sqlite", "--connection-string", database, "--check")).AssertSucceeded();
        Assert.Equal("schema is current: 7 scripts", check.StandardOutput.Trim());
    }

    [Fact]
    public async Task The_connection_string_may_come_from_the_environment_and_its_absence_is_a_usage_error()
    {
        var database = $"Data Source={Path.Combine(_folder, "from-env.db")}";
        (await FmctlProcess.RunAsync(new Dictionary<string, string> { ["ConnectionStrings__FactoryMesh"] = database }, "db", "init", "--storage", "Sqlite")).AssertSucceeded();

        var line = (await FmctlProcess.RunAsync(NoEnvironment, "db", "init")).AssertFailedWithOneLine(2);
        Assert.Contains("ConnectionStrings__FactoryMesh", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_fails_in_one_line_that_never_shows_the_password()
    {
        var port = ClosedPort();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=factorymesh;Password=hunter2-secret;Timeout=3";

        var result = await FmctlProcess.RunAsync(NoEnvironment, "db", "init", "--connection-string", connectionString);

        var line = result.AssertFailedWithOneLine(3);
        Assert.Contains("could not be reached", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener goes
    }
}
