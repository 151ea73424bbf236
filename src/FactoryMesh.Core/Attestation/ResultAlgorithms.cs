using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Attestation;

/// <summary>The asymmetric JWS algorithms a verifier's result may be signed with: never <c>none</c>, never HMAC.</summary>
public static class ResultAlgorithms
{
    /// <summary>RSA PKCS#1, RSA-PSS and ECDSA with SHA-2.</summary>
    public static readonly IReadOnlyCollection<string> Asymmetric =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];
}
