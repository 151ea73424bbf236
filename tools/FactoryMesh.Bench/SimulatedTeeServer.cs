using FactoryMesh.ServerHost;
using FactoryMesh.SimulatedTee;

namespace FactoryMesh.Bench;

/// <summary>
/// The real server as a process in a temporary folder, trusting one simulated vendor's devices against one set of
/// reference values: what the reports that attest nodes through the API start from. Disposing stops it and removes the folder.
/// </summary>
internal sealed class SimulatedTeeServer : IAsyncDisposable
{
    /// <summary>The CPU measurements the reference values accept.</summary>
    public static readonly IReadOnlyDictionary<string, string> CpuMeasurements = new Dictionary<string, string> { ["mrtd"] = "a1" };

    /// <summary>The GPU measurements the reference values accept.</summary>
    public static readonly IReadOnlyDictionary<string, string> GpuMeasurements = new Dictionary<string, string> { ["firmware"] = "f1" };

    private readonly string _root;

    private SimulatedTeeServer(string root, SimulatedVendorCa vendor, ServerProcess server)
    {
        _root = root;
        Vendor = vendor;
        Server = server;
    }

    /// <summary>The vendor whose devices the server trusts.</summary>
    public SimulatedVendorCa Vendor { get; }

    /// <summary>The running server.</summary>
    public ServerProcess Server { get; }

    /// <summary>Starts the server with <paramref name="extraArguments"/> beside the attestation settings.</summary>
    public static async Task<SimulatedTeeServer> StartAsync(string name, params string[] extraArguments)
    {
        var root = Directory.CreateTempSubdirectory($"factorymesh-{name}-").FullName;
        var vendor = SimulatedVendorCa.Create("Bench Vendor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        try
        {
            var rootPem = Path.Combine(root, "vendor-root.pem");
            var referenceValues = Path.Combine(root, "reference-values.json");
            await File.WriteAllTextAsync(rootPem, vendor.RootCertificatePem);
            await File.WriteAllTextAsync(referenceValues, """{"components": {"cpu": {"mrtd": [{"value": "a1"}]}, "gpu": {"firmware": [{"value": "f1"}]}}}""");
            var server = await ServerProcess.StartAsync(
                Path.Combine(root, "data"),
                [$"--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0={rootPem}", $"--FactoryMesh:Attestation:ReferenceValuesPath={referenceValues}", .. extraArguments]);
            return new SimulatedTeeServer(root, vendor, server);
        }
        catch
        {
            vendor.Dispose();
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>Evidence from <paramref name="device"/> for <paramref name="nodeId"/> with eight GPUs, answering <paramref name="nonce"/>.</summary>
    public static string Evidence(SimulatedTeeDevice device, string nodeId, string nonce) =>
        device.CreateEvidence(new SimulatedEvidence(nodeId, nonce, "SIM", CpuMeasurements, SimulatedGpu.Slots(8, GpuMeasurements)));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Vendor.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
