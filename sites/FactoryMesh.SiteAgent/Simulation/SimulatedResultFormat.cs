using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// What a simulated node's evidence looks like (<c>--simulate-format</c>): its own simulated TEE's report, or the
/// results real verifiers would return for it, signed by simulated verifiers, so every appraisal path of the control
/// plane can be exercised without hardware.
/// </summary>
internal static class SimulatedResultFormat
{
    /// <summary>The simulated TEE's report (<c>sim-jws</c>), the default.</summary>
    public const string SimulatedTee = EvidenceFormats.SimulatedJws;

    /// <summary>Trustee's EAR with a CPU submodule and one per GPU.</summary>
    public const string Ear = EvidenceFormats.EarJwt;

    /// <summary>Intel Trust Authority's composite token: the TD and its GPUs in one.</summary>
    public const string Ita = EvidenceFormats.ItaJwt;

    /// <summary>NVIDIA's bundle for the GPUs beside Intel's TDX-only token for the CPU, sent as one composite.</summary>
    public const string Nvidia = EvidenceFormats.NvidiaEat;

    /// <summary>Every choice.</summary>
    public static readonly IReadOnlyList<string> All = [SimulatedTee, Ear, Ita, Nvidia];

    /// <summary>The TEE kind a node registers with for <paramref name="format"/>: a simulated TEE, or TDX as the verifiers state it.</summary>
    public static string TeeKindOf(string format) => format == SimulatedTee ? SimulatedEvidenceSource.TeeKind : "TDX";
}
