namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>The evidence formats the control plane appraises.</summary>
internal static class EvidenceFormats
{
    /// <summary>A simulated TEE's report: compact JWS (ES384) with the device certificate chain.</summary>
    public const string SimulatedJws = "sim-jws";

    /// <summary>An attestation result token from an external verifier (EAT as a JWT).</summary>
    public const string EatJwt = "eat-jwt";

    /// <summary>NVIDIA's detached EAT bundle for the GPUs (NRAS, the NVAT SDK).</summary>
    public const string NvidiaEat = "nvidia-eat";

    /// <summary>An EAR from Confidential Containers' Trustee, one submodule per device.</summary>
    public const string EarJwt = "ear-jwt";

    /// <summary>An Intel Trust Authority token, TDX alone or with the GPUs (<c>tdx+nvgpu</c>).</summary>
    public const string ItaJwt = "ita-jwt";

    /// <summary>Several of the above answering one challenge, appraised together.</summary>
    public const string Composite = "composite";
}
