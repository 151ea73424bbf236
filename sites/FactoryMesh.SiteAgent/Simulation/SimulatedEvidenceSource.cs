using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FactoryMesh.SimulatedTee;
using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Faults;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// A simulated node's evidence: its own simulated TEE device signs the CPU and GPU measurements, the nonce and the
/// TEE key. Injected faults change what the device reports (debug on, CC mode off, a GPU nonce not derived from the
/// challenge), so the control plane's appraisal fails the way it would for a real misconfigured node. The device's
/// TEE key opens the data keys released to the node.
/// </summary>
internal sealed class SimulatedEvidenceSource(SimulatedTeeDevice device, string nodeName, GpuModelSpec model, int gpuCount, FaultState faults) : IEvidenceSource, ITeeKey
{
    /// <summary>The TEE kind simulated nodes register and report.</summary>
    public const string TeeKind = "SIM";

    /// <inheritdoc />
    public string Format => EvidenceFormats.SimulatedJws;

    /// <summary>The device, for its certificate's thumbprint.</summary>
    public SimulatedTeeDevice Device => device;

    /// <inheritdoc />
    public JsonObject PublicJwk => device.TeePublicJwk;

    /// <inheritdoc />
    public byte[] Unwrap(string jwe)
    {
        using var agreement = ECDiffieHellman.Create(device.TeeKey.ExportParameters(includePrivateParameters: true));
        try
        {
            return Jose.JWT.DecodeBytes(jwe, agreement, Jose.JweAlgorithm.ECDH_ES_A256KW, Jose.JweEncryption.A256GCM);
        }
        catch (Jose.JoseException exception)
        {
            throw new CryptographicException($"The released key does not open with this TEE's key: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public Task<string> CreateAsync(string nodeId, string nonce, CancellationToken cancellationToken)
    {
        var injected = faults.Current.For(nodeName);
        var measurements = SimulatedMeasurements.Gpu(model);
        var gpus = Enumerable.Range(0, gpuCount)
            .Select(index => new SimulatedGpu(
                GpuId(nodeId, index),
                measurements,
                CcModeOn: (injected & NodeFault.CcModeOff) == 0,
                Debug: (injected & NodeFault.DebugOn) != 0,
                NonceOverride: (injected & NodeFault.FailAttestation) != 0 ? "not-derived-from-the-challenge" : null))
            .ToArray();
        return Task.FromResult(device.CreateEvidence(new SimulatedEvidence(nodeId, nonce, TeeKind, SimulatedMeasurements.Cpu, gpus)));
    }

    /// <summary>A GPU's stable UUID, as nvidia-smi shows it (<c>GPU-xxxxxxxx-…</c>), derived from the node and slot.</summary>
    public static string GpuId(string nodeId, int index)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{nodeId}#{index}"))[..16];
        return "GPU-" + new Guid(bytes).ToString("D");
    }
}
