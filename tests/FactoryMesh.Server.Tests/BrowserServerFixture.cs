using FactoryMesh.SimulatedTee;
using FactoryMesh.Testing;
using FactoryMesh.ServerHost;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// One real server process for the browser tests, trusting a simulated vendor of its own, with trust lasting
/// <see cref="MaxAgeSeconds"/> so a test can watch it expire.
/// </summary>
public sealed class BrowserServerFixture : IAsyncLifetime
{
    /// <summary>How long an attestation stays fresh on this server.</summary>
    public const int MaxAgeSeconds = 6;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"factorymesh-browser-{Guid.NewGuid():N}");

    public SimulatedVendorCa Vendor { get; } = SimulatedVendorCa.Create("Browser Vendor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

    public ServerProcess Server { get; private set; } = null!;

    private string[] _arguments = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        var rootPem = Path.Combine(_dataDirectory, "vendor-root.pem");
        var referenceValues = Path.Combine(_dataDirectory, "reference-values.json");
        await File.WriteAllTextAsync(rootPem, Vendor.RootCertificatePem);
        await File.WriteAllTextAsync(referenceValues, SimulatedFleet.ReferenceValuesJson);
        _arguments =
        [
            $"--contentRoot={RepositoryPaths.ServerProject}",
            $"--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0={rootPem}",
            $"--FactoryMesh:Attestation:ReferenceValuesPath={referenceValues}",
            $"--FactoryMesh:Attestation:MaxAgeSeconds={MaxAgeSeconds}",
            "--FactoryMesh:Placement:MinRemainingFreshnessSeconds=1", // so a replica can be placed on a node trusted for 6 s
            "--FactoryMesh:Telemetry:SnapshotIntervalSeconds=1", // the trend charts' history fills within seconds
        ];
        Server = await ServerProcess.StartAsync(_dataDirectory, _arguments);
    }

    /// <summary>Stops the server (SIGTERM), runs <paramref name="whileDown"/>, and starts it again on the same data and ports.</summary>
    public async Task RestartAsync(Func<Task> whileDown)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        var ports = Server.Ports;
        await Server.StopAsync();
        await Server.DisposeAsync();
        await whileDown();
        Server = await ServerProcess.StartAsync(_dataDirectory, ports, _arguments);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Vendor.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
