using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FactoryMesh.SimulatedTee;
using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Faults;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// A simulated node's evidence: its own simulated TEE device signs the CPU and GPU measurements, the nonce and the
/// TEE key. Injected faults change what the device reports (debug on, CC mode off, a GPU nonce not derived from the
/// challenge), so the control plane's appraisal fails the way it would for a real misconfigured node. The device's
/// TEE key opens the data keys released to the node. Given simulated verifiers and another format, the node answers
/// with what those verifiers would return for it instead (see <see cref="SimulatedVerifierResults"/>).
/// </summary>
internal sealed class SimulatedEvidenceSource(
    SimulatedTeeDevice device, string nodeName, GpuModelSpec model, int gpuCount, FaultState faults, string format = SimulatedResultFormat.SimulatedTee, SimulatedVerifierStore? verifiers = null, TimeProvider? time = null)
    : IEvidenceSource, ITeeKey
{
    /// <summary>The TEE kind simulated nodes register and report.</summary>
    public const string TeeKind = "SIM";

    /// <inheritdoc />
    public string Format => format switch
    {
        SimulatedResultFormat.SimulatedTee => EvidenceFormats.SimulatedJws,
        SimulatedResultFormat.Nvidia => EvidenceFormats.Composite,
        _ => format,
    };

    /// <summary>The device, for its certificate's thumbprint.</summary>
    public SimulatedTeeDevice Device => device;

    /// <inheritdoc />
    public JsonObject PublicJwk => device.TeePublicJwk;

    /// <inheritdoc />
    public Task<string> OpenArtifactAsync(string jwe, string ciphertextPath, string plaintextPath, CancellationToken cancellationToken) =>
        TeeArtifactOpener.OpenAsync(device.TeeKey, jwe, ciphertextPath, plaintextPath, cancellationToken);

    /// <inheritdoc />
    public Task<string> CreateAsync(string nodeId, string nonce, CancellationToken cancellationToken)
    {
        var injected = faults.Current.For(nodeName);
        if (format != SimulatedResultFormat.SimulatedTee)
        {
            var verifierStore = verifiers ?? throw new InvalidOperationException("Simulated verifier results need the simulated verifiers.");
            return Task.FromResult(SimulatedVerifierResults.Create(format, verifierStore, device, nodeId, nonce, model, gpuCount, injected, (time ?? TimeProvider.System).GetUtcNow()).Evidence);
        }

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
