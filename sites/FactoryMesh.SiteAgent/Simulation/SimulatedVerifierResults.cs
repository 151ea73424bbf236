using System.Text.Json.Nodes;
using FactoryMesh.SimulatedTee;
using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Faults;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// What real verifiers would return for a simulated node, signed by the simulated verifiers: the node's measurements,
/// its TEE key bound where each verifier binds it, and the injected faults stated as each verifier states a failure
/// (debug on as <c>dbgstat</c>, CC mode off as a failed measurement result, a failed attestation as a report whose
/// nonce did not match), so the control plane refuses them through the same checks as real results.
/// </summary>
internal static class SimulatedVerifierResults
{
    /// <summary>The evidence format the control plane is told, and the evidence, for <paramref name="format"/>.</summary>
    public static (string Format, string Evidence) Create(
        string format, SimulatedVerifierStore verifiers, SimulatedTeeDevice device, string nodeId, string nonce, GpuModelSpec model, int gpuCount, NodeFault faults, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        ArgumentNullException.ThrowIfNull(device);
        return format switch
        {
            SimulatedResultFormat.Ear => (EvidenceFormats.EarJwt, verifiers.Trustee.Sign(Ear(device, nodeId, nonce, model, gpuCount, faults, now))),
            SimulatedResultFormat.Ita => (EvidenceFormats.ItaJwt, verifiers.Ita.Sign(VerifierResultShapes.Ita(
                nonce, device.TeePublicJwk, SimulatedMeasurements.Cpu, now, Gpus(nodeId, nonce, model, gpuCount, faults, now).Select(g => g.Claims).ToList()))),
            SimulatedResultFormat.Nvidia => (EvidenceFormats.Composite, new JsonObject
            {
                ["parts"] = new JsonArray(
                    new JsonObject { ["format"] = EvidenceFormats.ItaJwt, ["evidence"] = verifiers.Ita.Sign(VerifierResultShapes.Ita(nonce, device.TeePublicJwk, SimulatedMeasurements.Cpu, now)) },
                    new JsonObject { ["format"] = EvidenceFormats.NvidiaEat, ["evidence"] = verifiers.Nras.NvidiaBundle(NvidiaNonce(nonce), Gpus(nodeId, nonce, model, gpuCount, faults, now), now) }),
            }.ToJsonString()),
            _ => throw new ArgumentException($"'{format}' is not a simulated verifier format.", nameof(format)),
        };
    }

    // NVIDIA's verifiers take a 32-byte nonce: the control plane expects the challenge's SHA-256 there.
    private static string NvidiaNonce(string challenge) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(challenge)));

    private static List<(string Name, JsonObject Claims)> Gpus(string nodeId, string nonce, GpuModelSpec model, int gpuCount, NodeFault faults, DateTimeOffset now) =>
        [.. Enumerable.Range(0, gpuCount).Select(index =>
        {
            var claims = VerifierResultShapes.NvidiaGpu(SimulatedEvidenceSource.GpuId(nodeId, index), NvidiaNonce(nonce), model.HwModel, SimulatedMeasurements.Driver, model.Vbios, now);
            if ((faults & NodeFault.DebugOn) != 0)
            {
                claims["dbgstat"] = "enabled";
            }

            if ((faults & NodeFault.CcModeOff) != 0)
            {
                claims["measres"] = "failure";
            }

            if ((faults & NodeFault.FailAttestation) != 0)
            {
                claims["x-nvidia-gpu-attestation-report-nonce-match"] = false;
            }

            return ($"GPU-{index}", claims);
        })];

    private static JsonObject Ear(SimulatedTeeDevice device, string nodeId, string nonce, GpuModelSpec model, int gpuCount, NodeFault faults, DateTimeOffset now)
    {
        var cpu = VerifierResultShapes.EarSubmodule(
            new JsonObject { ["tdx"] = new JsonObject { ["quote"] = new JsonObject { ["body"] = new JsonObject { ["mr_td"] = SimulatedMeasurements.Cpu["mrtd"] } } } },
            akpub: Base64UrlEncoder.Encode(device.TeeKey.ExportSubjectPublicKeyInfo()));
        var submods = new List<(string, JsonObject)> { ("cpu0", cpu) };
        for (var index = 0; index < gpuCount; index++)
        {
            var gpu = VerifierResultShapes.EarSubmodule(new JsonObject { ["hwmodel"] = model.HwModel, ["ueid"] = SimulatedEvidenceSource.GpuId(nodeId, index) });
            var vector = gpu["ear.trustworthiness-vector"]!.AsObject();
            if ((faults & (NodeFault.DebugOn | NodeFault.CcModeOff)) != 0)
            {
                vector["configuration"] = 96; // an unsafe configuration, contraindicated
                gpu["ear.status"] = "contraindicated";
            }

            if ((faults & NodeFault.FailAttestation) != 0)
            {
                vector["instance-identity"] = 96; // the device's identity did not verify
                gpu["ear.status"] = "contraindicated";
            }

            submods.Add(($"gpu{index}", gpu));
        }

        return VerifierResultShapes.Ear(nonce, submods, now);
    }
}
