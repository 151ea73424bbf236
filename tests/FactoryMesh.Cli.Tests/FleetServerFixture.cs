using System.Net.Http.Json;
using FactoryMesh.Testing;

namespace FactoryMesh.Cli.Tests;

/// <summary>
/// One real server process shared by every fmctl test (starting one takes seconds; tests use site, node and tenant
/// ids of their own, so they never see each other's data). fmctl finds the operator token the way it does on a
/// server's machine: through <c>FactoryMesh__DataDirectory</c>.
/// </summary>
public sealed class FleetServerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fmctl-tests-{Guid.NewGuid():N}");
    private ServerProcess? _server;

    /// <summary>The server process.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server URL as a user types it.</summary>
    public string Address => Server.Address.ToString().TrimEnd('/');

    /// <summary>The SQLite file of the embedded default, for tests that tamper with the ledger.</summary>
    public string DatabasePath => Path.Combine(_dataDirectory, "factorymesh.db");

    /// <summary>The environment of an operator on the server's machine: fmctl finds <c>operator.token</c> in the data folder.</summary>
    public IReadOnlyDictionary<string, string> OperatorEnvironment => new Dictionary<string, string> { ["FactoryMesh__DataDirectory"] = _dataDirectory };

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(_dataDirectory);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>Runs <c>fmctl --server … <paramref name="arguments"/></c> as the operator.</summary>
    public Task<FmctlResult> RunAsync(params string[] arguments) =>
        FmctlProcess.RunAsync(OperatorEnvironment, ["--server", Address, .. arguments]);

    /// <summary>Runs fmctl with <c>--token <paramref name="token"/></c> and no data folder to fall back on.</summary>
    public Task<FmctlResult> RunWithTokenAsync(string token, params string[] arguments) =>
        FmctlProcess.RunAsync(new Dictionary<string, string>(), ["--server", Address, "--token", token, .. arguments]);

    /// <summary>Starts a long-running fmctl (a watch) as the operator.</summary>
    public FmctlProcess Start(params string[] arguments) =>
        FmctlProcess.Start(OperatorEnvironment, ["--server", Address, .. arguments]);

    /// <summary>A resource name no other test uses: <paramref name="prefix"/> and 12 hex digits.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Creates a site in Germany (zone EU) with <paramref name="nodes"/> H100 nodes, through the API as an agent would; returns the node ids.</summary>
    public async Task<IReadOnlyList<string>> CreateSiteWithNodesAsync(string siteId, int nodes)
    {
        using var client = Server.Client(Server.OperatorToken);
        var site = await client.PutAsJsonAsync(
            new Uri($"/api/v1/sites/{siteId}", UriKind.Relative),
            new { jurisdiction = "DE", zones = new[] { "EU" }, electricityUsdPerKwh = 0.21, pue = 1.2, carbonGramsPerKwh = 380 });
        site.EnsureSuccessStatusCode();
        var nodeIds = new List<string>();
        for (var i = 1; i <= nodes; i++)
        {
            var name = $"node-{i:000}";
            var node = await client.PutAsJsonAsync(
                new Uri($"/api/v1/sites/{siteId}/nodes/{name}", UriKind.Relative),
                new { gpuModel = "H100", gpuCount = 8, gpuMemoryGiB = 80, teeKind = "TDX", powerWatts = 5600, costUsdPerHour = 24 });
            node.EnsureSuccessStatusCode();
            nodeIds.Add($"{siteId}/{name}");
        }

        return nodeIds;
    }
}
