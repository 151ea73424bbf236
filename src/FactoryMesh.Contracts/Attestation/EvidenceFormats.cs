using System.Collections.Frozen;

namespace FactoryMesh.Contracts.Attestation;

/// <summary>The evidence formats a node may present.</summary>
public static class EvidenceFormats
{
    /// <summary>The site agent's simulated TEE: a compact JWS (ES384) signed by a device key with an x5c chain.</summary>
    public const string SimulatedJws = "sim-jws";

    /// <summary>An attestation result token (EAT/JWT) from an external verifier, checked against its JWKS.</summary>
    public const string EatJwt = "eat-jwt";

    /// <summary>NVIDIA's detached EAT bundle (NRAS, or the NVAT SDK's local verifier): an overall JWT committing to one JWT per device.</summary>
    public const string NvidiaEat = "nvidia-eat";

    /// <summary>An EAR attestation result (Veraison's profile, as Confidential Containers' Trustee issues it), one submodule per device.</summary>
    public const string EarJwt = "ear-jwt";

    /// <summary>An Intel Trust Authority token: TDX claims, and in its composite form the NVIDIA GPU's beside them.</summary>
    public const string ItaJwt = "ita-jwt";

    /// <summary>Several of the above together (say a TDX token and a GPU bundle), all answering the same challenge.</summary>
    public const string Composite = "composite";

    /// <summary>Every format FactoryMesh reads.</summary>
    public static readonly FrozenSet<string> All =
        new[] { SimulatedJws, EatJwt, NvidiaEat, EarJwt, ItaJwt, Composite }.ToFrozenSet(StringComparer.Ordinal);
}
