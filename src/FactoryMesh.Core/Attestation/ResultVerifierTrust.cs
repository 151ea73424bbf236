using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// One external verifier whose results a deployment trusts for one format (<c>nvidia-eat</c>, <c>ear-jwt</c>,
/// <c>ita-jwt</c>): who it is, how its tokens are signed, and where its results carry the challenge and the TEE key.
/// </summary>
/// <param name="Format">The format its results come in, one of <see cref="EvidenceFormats"/>.</param>
/// <param name="Issuer">The <c>iss</c> its tokens carry.</param>
/// <param name="Audience">The <c>aud</c> its tokens must carry; null when the verifier sets none (NRAS does not).</param>
/// <param name="Keys">Its signing keys (its published JWKS, pinned from a file); empty when it signs with an x5c chain.</param>
/// <param name="Roots">Roots an <c>x5c</c> header must chain to; empty when it signs with pinned keys.</param>
/// <param name="NonceClaim">Where its results carry the challenge: a claim, or a path into one (<c>a/b</c>).</param>
/// <param name="NonceBinding">Whether that is the challenge itself or its SHA-256.</param>
/// <param name="TeePublicKeyClaim">Where its results carry the node's TEE public key (a JWK, or base64url SPKI); empty when they do not.</param>
/// <param name="AllowCertHold">Accept a device certificate on hold (OCSP <c>certificateHold</c>) with NVIDIA's warning; refused by default.</param>
/// <param name="MaxTokenAge">How old (by <c>iat</c>) a result may be when it has no <c>exp</c>.</param>
public sealed record ResultVerifierTrust(
    string Format,
    string Issuer,
    string? Audience,
    JsonWebKeySet Keys,
    IReadOnlyList<X509Certificate2> Roots,
    string NonceClaim,
    NonceBinding NonceBinding,
    string TeePublicKeyClaim,
    bool AllowCertHold,
    TimeSpan MaxTokenAge);
