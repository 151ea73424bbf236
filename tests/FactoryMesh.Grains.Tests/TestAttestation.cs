using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Keys;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.SimulatedTee;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Grains.Tests;

/// <summary>
/// One simulated vendor CA, reference values and keys for every cluster of the test run, and evidence that
/// passes them. Devices are issued per test.
/// </summary>
public static class TestAttestation
{
    public static readonly Dictionary<string, string> CpuMeasurements = new() { ["mrtd"] = "a1b2c3" };
    public static readonly Dictionary<string, string> GpuMeasurements = new() { ["firmware"] = "96.00.5e.00.01", ["driver"] = "550.54.15", ["vbios"] = "96.00.88.00.11" };

    public static readonly SimulatedVendorCa Vendor = SimulatedVendorCa.Create("Grain Tests Vendor", SqliteFleetCluster.Epoch.AddYears(-1), SqliteFleetCluster.Epoch.AddYears(5));

    public static readonly NonceCodec Nonces = new(RandomNumberGenerator.GetBytes(32));

    public static readonly AuditChain AuditChain = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The audit chain's public key alone, as a verifier outside the server holds it.</summary>
    public static readonly ECDsa AuditPublicKey = PublicKeyOf(AuditChain);

    /// <summary>The tenants' key vault of every test cluster, in a folder of its own.</summary>
    public static readonly FileKeyVault Vault = new(Directory.CreateTempSubdirectory("factorymesh-vault-").FullName, RandomNumberGenerator.GetBytes(32));

    public static readonly Attestor Attestor = new(
        [new SimulatedTeeVerifier([X509CertificateLoader.LoadCertificate(Vendor.Certificate.RawData)], new CertificateChainCache())],
        AppraisalPolicy.Parse("""
            {"components": {
              "cpu": {"mrtd": [{"value": "a1b2c3"}]},
              "gpu": {"firmware": [{"value": "96.00.5e.00.01"}], "driver": [{"value": "550.54.15"}], "vbios": [{"value": "96.00.88.00.11"}]}
            }}
            """),
        new HashSet<string>(["SIM", "TDX"]),
        Nonces);

    private static ECDsa PublicKeyOf(AuditChain chain)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(chain.PublicKeyPem);
        return key;
    }

    /// <summary>A device of the test vendor, valid around the clusters' clock.</summary>
    public static SimulatedTeeDevice NewDevice(string name) =>
        Vendor.IssueDevice(name, SqliteFleetCluster.Epoch.AddDays(-1), SqliteFleetCluster.Epoch.AddYears(1));

    // One device per node for tests that attest many nodes: a device certificate attests the first node it attested only.
    private static readonly ConcurrentDictionary<string, SimulatedTeeDevice> Devices = new(StringComparer.Ordinal);

    /// <summary>The test run's one device of <paramref name="nodeId"/>, issued on first use and kept for the run.</summary>
    public static SimulatedTeeDevice DeviceOf(string nodeId) => Devices.GetOrAdd(nodeId, NewDevice);

    /// <summary>
    /// Challenges <paramref name="node"/> and answers with evidence from <paramref name="device"/> covering every GPU
    /// the node is registered with.
    /// </summary>
    public static async Task<AttestationOutcome> AttestAsync(INodeGrain node, string nodeId, SimulatedTeeDevice device, bool gpuDebug = false, Action<string>? beforeSubmit = null)
    {
        var gpus = (await node.GetAsync())?.Inventory.GpuCount ?? 1;
        var challenge = await node.IssueChallengeAsync();
        var evidence = Evidence(device, nodeId, challenge!.Nonce, gpuDebug, gpus);
        beforeSubmit?.Invoke(evidence);
        return (await node.AttestAsync(EvidenceFormats.SimulatedJws, evidence, "agent-test"))!;
    }

    /// <summary>Passing evidence from <paramref name="device"/> for <paramref name="nodeId"/> with <paramref name="gpuCount"/> GPUs answering <paramref name="nonce"/>.</summary>
    public static string Evidence(SimulatedTeeDevice device, string nodeId, string nonce, bool gpuDebug = false, int gpuCount = 8) =>
        device.CreateEvidence(new SimulatedEvidence(nodeId, nonce, "SIM", CpuMeasurements, SimulatedGpu.Slots(gpuCount, GpuMeasurements, gpuDebug)));
}
