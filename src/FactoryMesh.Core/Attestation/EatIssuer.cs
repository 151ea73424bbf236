using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// A trusted external verifier whose attestation result tokens (EAT/JWT) are accepted: NVIDIA NRAS, Intel
/// Trust Authority, Azure Attestation, a Confidential Containers attestation service.
/// </summary>
/// <param name="Issuer">The <c>iss</c> its tokens must carry.</param>
/// <param name="Audience">The <c>aud</c> its tokens must carry: this control plane.</param>
/// <param name="Keys">Its signing keys (the JWKS it publishes, pinned from a file).</param>
/// <param name="NonceClaim">Claim holding the challenge nonce.</param>
/// <param name="TeePublicKeyClaim">Claim holding the node's TEE public key (JWK); without it a node gets no keys.</param>
/// <param name="RequiredClaims">Claims that must be present with exactly these values (e.g. <c>x-nvidia-overall-att-result: true</c>).</param>
/// <param name="CcModeClaim">Claim stating the GPUs' confidential-computing mode (<c>on</c>/<c>true</c>); checked whatever the overall result says.</param>
/// <param name="DebugClaim">Claim stating debug status, EAT <c>dbgstat</c> semantics (0 or <c>enabled</c> is on).</param>
/// <param name="MeasurementsClaim">Claim holding measurements: component kind → name → value, appraised against reference values.</param>
/// <param name="TeeKindClaim">Claim naming the TEE kind, when the verifier states it.</param>
/// <param name="GpuCountClaim">Claim stating how many GPUs the verifier appraised; must equal the node's registered count.</param>
public sealed record EatIssuer(
    string Issuer,
    string Audience,
    JsonWebKeySet Keys,
    string NonceClaim,
    string TeePublicKeyClaim,
    IReadOnlyDictionary<string, string> RequiredClaims,
    string CcModeClaim,
    string DebugClaim,
    string MeasurementsClaim,
    string TeeKindClaim,
    string GpuCountClaim = "gpu_count");
