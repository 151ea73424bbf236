using System.Globalization;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Verifies <c>eat-jwt</c> attestation result tokens: the issuer must be configured, the key must be in its
/// pinned JWKS, the algorithm an asymmetric one (never <c>none</c> or HMAC), the signature valid, <c>aud</c>
/// this control plane, and <c>exp</c>/<c>nbf</c>/<c>iat</c> right within a small clock skew. Then it reads the
/// nonce, TEE key, required claims, CC mode, debug status and measurements for the attestor to appraise.
/// </summary>
public sealed class EatTokenVerifier : IEvidenceVerifier
{
    private static readonly string[] AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly Dictionary<string, EatIssuer> _issuers;
    private readonly TimeSpan _clockSkew;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Creates a verifier accepting tokens of <paramref name="issuers"/>, with <paramref name="clockSkew"/> of tolerance.</summary>
    public EatTokenVerifier(IEnumerable<EatIssuer> issuers, TimeSpan clockSkew)
    {
        _issuers = issuers.ToDictionary(i => i.Issuer, StringComparer.Ordinal);
        _clockSkew = clockSkew;
    }

    /// <inheritdoc />
    public string Format => EvidenceFormats.EatJwt;

    /// <inheritdoc />
    public async Task<VerificationResult> VerifyAsync(string evidence, DateTimeOffset now)
    {
        if (!_handler.CanReadToken(evidence))
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "not a compact JWT");
        }

        var token = new JsonWebToken(evidence);
        if (!AllowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return VerificationResult.Failed(AppraisalCheck.Algorithm, "the token's algorithm is not accepted");
        }

        if (!_issuers.TryGetValue(token.Issuer ?? string.Empty, out var issuer))
        {
            return VerificationResult.Failed(AppraisalCheck.Issuer, "the token's issuer is not a configured verifier");
        }

        var keys = string.IsNullOrEmpty(token.Kid) ? issuer.Keys.Keys : issuer.Keys.Keys.Where(k => k.Kid == token.Kid).ToList();
        if (keys.Count == 0)
        {
            return VerificationResult.Failed(AppraisalCheck.UnknownKey, $"the token's key is not in the JWKS of {issuer.Issuer}");
        }

        var result = await _handler.ValidateTokenAsync(evidence, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = AllowedAlgorithms,
            ValidIssuer = issuer.Issuer,
            ValidateAudience = false, // checked below, to name the failure precisely
            ValidateLifetime = false, // checked below against the injected clock
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
        {
            return VerificationResult.Failed(AppraisalCheck.Signature, "the signature does not verify under the issuer's key");
        }

        if (!token.Audiences.Contains(issuer.Audience, StringComparer.Ordinal))
        {
            return VerificationResult.Failed(AppraisalCheck.Audience, $"the token is not addressed to '{issuer.Audience}'");
        }

        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        if (now - _clockSkew >= expires)
        {
            return VerificationResult.Failed(AppraisalCheck.TokenExpired, $"the token expired at {expires:u}");
        }

        if ((token.ValidFrom != DateTime.MinValue && now + _clockSkew < new DateTimeOffset(token.ValidFrom, TimeSpan.Zero))
            || (token.IssuedAt != DateTime.MinValue && now + _clockSkew < new DateTimeOffset(token.IssuedAt, TimeSpan.Zero)))
        {
            return VerificationResult.Failed(AppraisalCheck.TokenNotYetValid, "the token is not valid yet");
        }

        return ReadClaims(token, issuer, expires);
    }

    private static VerificationResult ReadClaims(JsonWebToken token, EatIssuer issuer, DateTimeOffset expires)
    {
        using var document = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
        var claims = document.RootElement;
        if (!claims.TryGetProperty(issuer.NonceClaim, out var nonce) || nonce.ValueKind != JsonValueKind.String)
        {
            return VerificationResult.Failed(AppraisalCheck.NonceForged, $"the token carries no '{issuer.NonceClaim}' nonce");
        }

        // An unmet required claim is an appraisal failure, judged only once the token is known to answer this node's
        // challenge: a replayed old token saying "fail" must not untrust the node.
        var unmet = issuer.RequiredClaims
            .Where(r => !claims.TryGetProperty(r.Key, out var actual) || !string.Equals(Text(actual), r.Value, StringComparison.Ordinal))
            .Select(r => r.Key)
            .FirstOrDefault();

        var debug = claims.TryGetProperty(issuer.DebugClaim, out var dbg) ? DebugEnabled(dbg) : null;
        var ccMode = claims.TryGetProperty(issuer.CcModeClaim, out var cc) ? Text(cc) switch { "on" or "true" => true, "off" or "false" => false, _ => (bool?)null } : null;
        var components = new List<ComponentEvidence>();
        var measured = claims.TryGetProperty(issuer.MeasurementsClaim, out var measurements) && measurements.ValueKind == JsonValueKind.Object
            ? measurements.EnumerateObject().ToDictionary(k => k.Name, k => k.Value.EnumerateObject().ToDictionary(m => m.Name, m => Text(m.Value), StringComparer.Ordinal), StringComparer.Ordinal)
            : [];
        components.Add(new ComponentEvidence("gpu", "gpu", measured.GetValueOrDefault("gpu") ?? [], ccMode, debug, Format: EvidenceFormats.EatJwt));
        foreach (var (kind, values) in measured.Where(m => m.Key != "gpu"))
        {
            components.Add(new ComponentEvidence(kind, kind, values, CcModeOn: null, debug, Format: EvidenceFormats.EatJwt));
        }

        return VerificationResult.Verified(new VerifiedEvidence(
            NodeId: null,
            nonce.GetString()!,
            claims.TryGetProperty(issuer.TeeKindClaim, out var kind2) ? Text(kind2) : null,
            claims.TryGetProperty(issuer.TeePublicKeyClaim, out var teeKey) && teeKey.ValueKind == JsonValueKind.Object ? teeKey.GetRawText() : null,
            components,
            expires,
            CertificateThumbprints: [],
            CertificateSerials: [],
            GpuNonces: new Dictionary<string, string>(),
            GpuCount: claims.TryGetProperty(issuer.GpuCountClaim, out var gpuCount) && gpuCount.ValueKind == JsonValueKind.Number && gpuCount.TryGetInt32(out var count) ? count : null,
            unmet is null ? null : new ClaimRefusal(AppraisalCheck.ClaimMismatch, $"required claim '{unmet}' does not have its configured value")));
    }

    // EAT dbgstat: 0 = enabled; 1..4 = disabled in ever stronger ways. Strings are accepted in the same sense.
    private static bool? DebugEnabled(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetInt32() == 0,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => value.GetString() switch
        {
            "enabled" => true,
            { } s when s.StartsWith("disabled", StringComparison.Ordinal) => false,
            _ => null,
        },
        _ => null,
    };

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };
}
