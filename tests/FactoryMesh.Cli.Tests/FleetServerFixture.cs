using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.SimulatedTee;
using FactoryMesh.ServerHost;

namespace FactoryMesh.Cli.Tests;

/// <summary>
/// One real server process shared by every fmctl test (starting one takes seconds; tests use site, node and tenant
/// ids of their own, so they never see each other's data). fmctl finds the operator token the way it does on a
/// server's machine: through <c>FactoryMesh__DataDirectory</c>. The server trusts a simulated TEE vendor's root and
/// the measurements in <see cref="ReferenceValuesJson"/>, so <see cref="AddTrustedNodeAsync"/> can make a node Trusted.
/// </summary>
public sealed class FleetServerFixture : IAsyncLifetime
{
    private const string ReferenceValuesJson = """
        {"components": {
          "cpu": {"mrtd": [{"value": "a1b2c3"}]},
          "gpu": {"firmware": [{"value": "96.00.5e.00.01"}], "driver": [{"value": "550.54.15"}], "vbios": [{"value": "96.00.88.00.11"}]}
        }}
        """;

    private static readonly Dictionary<string, string> CpuMeasurements = new() { ["mrtd"] = "a1b2c3" };
    private static readonly Dictionary<string, string> GpuMeasurements = new() { ["firmware"] = "96.00.5e.00.01", ["driver"] = "550.54.15", ["vbios"] = "96.00.88.00.11" };

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fmctl-tests-{Guid.NewGuid():N}");
    private readonly string _attestationDirectory = Path.Combine(Path.GetTempPath(), $"fmctl-tests-attestation-{Guid.NewGuid():N}");
    private readonly SimulatedVendorCa _vendor = SimulatedVendorCa.Create("fmctl Tests Vendor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    private ServerProcess? _server;

    /// <summary>The server process.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server URL as a user types it.</summary>
    public string Address => Server.Address.ToString().TrimEnd('/');

    /// <summary>The SQLite file of the embedded default, for tests that tamper with the ledger.</summary>
    public string DatabasePath => Path.Combine(_dataDirectory, "factorymesh.db");

    /// <summary>The server's data folder.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>The environment of an operator on the server's machine: fmctl finds <c>operator.token</c> in the data folder.</summary>
    public IReadOnlyDictionary<string, string> OperatorEnvironment => new Dictionary<string, string> { ["FactoryMesh__DataDirectory"] = _dataDirectory };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_attestationDirectory);
        var rootPem = Path.Combine(_attestationDirectory, "vendor-root.pem");
        var referenceValues = Path.Combine(_attestationDirectory, "reference-values.json");
        await File.WriteAllTextAsync(rootPem, _vendor.RootCertificatePem);
        await File.WriteAllTextAsync(referenceValues, ReferenceValuesJson);
        _server = await ServerProcess.StartAsync(
            _dataDirectory,
            $"--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0={rootPem}",
            $"--FactoryMesh:Attestation:ReferenceValuesPath={referenceValues}");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }

        _vendor.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
        Directory.Delete(_attestationDirectory, recursive: true);
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

    /// <summary>
    /// Registers an eight-H100 simulated-TEE node at <paramref name="siteId"/> (which must exist) as the site's agent
    /// does, and makes it Trusted: a challenge, then evidence signed by a device of the trusted simulated vendor.
    /// </summary>
    public async Task<string> AddTrustedNodeAsync(string siteId, string name)
    {
        var nodeId = $"{siteId}/{name}";
        var nodeUrl = $"/api/v1/nodes/{Uri.EscapeDataString(nodeId)}";
        using var op = Server.Client(Server.OperatorToken);
        var issued = await op.PostAsJsonAsync(new Uri("/api/v1/tokens", UriKind.Relative), new { role = "agent", site = siteId });
        issued.EnsureSuccessStatusCode();
        using var agent = Server.Client((await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        (await agent.PutAsJsonAsync(
            new Uri($"/api/v1/sites/{siteId}/nodes/{name}", UriKind.Relative),
            new { gpuModel = "H100", gpuCount = 8, gpuMemoryGiB = 80, teeKind = "SIM", powerWatts = 10_200, costUsdPerHour = 24 })).EnsureSuccessStatusCode();

        using var device = _vendor.IssueDevice(name, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6));
        var challenge = await agent.PostAsync(new Uri($"{nodeUrl}/attestation/challenge", UriKind.Relative), null);
        challenge.EnsureSuccessStatusCode();
        var nonce = (await challenge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nonce").GetString()!;
        var evidence = device.CreateEvidence(new SimulatedEvidence(nodeId, nonce, "SIM", CpuMeasurements, SimulatedGpu.Slots(8, GpuMeasurements)));
        var attested = await agent.PostAsJsonAsync(new Uri($"{nodeUrl}/attestation", UriKind.Relative), new { format = "sim-jws", evidence });
        attested.EnsureSuccessStatusCode();
        return nodeId;
    }
}
