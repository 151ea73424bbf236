namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>The evidence formats the control plane appraises.</summary>
internal static class EvidenceFormats
{
    /// <summary>A simulated TEE's report: compact JWS (ES384) with the device certificate chain.</summary>
    public const string SimulatedJws = "sim-jws";

    /// <summary>An attestation result token from an external verifier (EAT as a JWT).</summary>
    public const string EatJwt = "eat-jwt";
}
