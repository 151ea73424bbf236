using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Keys;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.SimulatedTee;

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

    public static readonly AuditChain AuditChain = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The tenants' key vault of every test cluster, in a folder of its own.</summary>
    public static readonly FileKeyVault Vault = new(Directory.CreateTempSubdirectory("factorymesh-vault-").FullName);

    public static readonly Attestor Attestor = new(
        [new SimulatedTeeVerifier([X509CertificateLoader.LoadCertificate(Vendor.Certificate.RawData)], new CertificateChainCache())],
        ReferenceValues.Parse("""
            {"components": {
              "cpu": {"mrtd": [{"value": "a1b2c3"}]},
              "gpu": {"firmware": [{"value": "96.00.5e.00.01"}], "driver": [{"value": "550.54.15"}], "vbios": [{"value": "96.00.88.00.11"}]}
            }}
            """),
        new HashSet<string>(["SIM", "TDX"]),
        Nonces);

    /// <summary>A device of the test vendor, valid around the clusters' clock.</summary>
    public static SimulatedTeeDevice NewDevice(string name) =>
        Vendor.IssueDevice(name, SqliteFleetCluster.Epoch.AddDays(-1), SqliteFleetCluster.Epoch.AddYears(1));

    /// <summary>Challenges <paramref name="node"/> and answers with evidence from <paramref name="device"/>.</summary>
    public static async Task<AttestationOutcome> AttestAsync(INodeGrain node, string nodeId, SimulatedTeeDevice device, bool gpuDebug = false, Action<string>? beforeSubmit = null)
    {
        var challenge = await node.IssueChallengeAsync();
        var evidence = Evidence(device, nodeId, challenge!.Nonce, gpuDebug);
        beforeSubmit?.Invoke(evidence);
        return (await node.AttestAsync(EvidenceFormats.SimulatedJws, evidence, "agent-test"))!;
    }

    /// <summary>Passing evidence from <paramref name="device"/> for <paramref name="nodeId"/> answering <paramref name="nonce"/>.</summary>
    public static string Evidence(SimulatedTeeDevice device, string nodeId, string nonce, bool gpuDebug = false) =>
        device.CreateEvidence(new SimulatedEvidence(nodeId, nonce, "SIM", CpuMeasurements, [new SimulatedGpu("GPU-0001", GpuMeasurements, Debug: gpuDebug)]));
}
