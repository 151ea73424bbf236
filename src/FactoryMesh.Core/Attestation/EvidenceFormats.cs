namespace FactoryMesh.Core.Attestation;

/// <summary>The evidence formats a node may present.</summary>
public static class EvidenceFormats
{
    /// <summary>The site agent's simulated TEE: a compact JWS (ES384) signed by a device key with an x5c chain.</summary>
    public const string SimulatedJws = "sim-jws";

    /// <summary>An attestation result token (EAT/JWT) from an external verifier, checked against its JWKS.</summary>
    public const string EatJwt = "eat-jwt";
}
