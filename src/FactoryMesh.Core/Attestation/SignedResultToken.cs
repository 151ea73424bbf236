using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// A verifier's signed result token, checked the same way for every format: its issuer must be a trusted verifier of
/// the format, its algorithm one the format allows (never <c>none</c> or HMAC), its key pinned (JWKS by <c>kid</c>) or
/// its <c>x5c</c> chain ending at a configured root, its signature valid, its audience this control plane when the
/// verifier sets one, and its lifetime right at the judged instant within a small skew.
/// </summary>
public sealed class SignedResultToken : IDisposable
{
    private const int MaxChainLength = 5;
    private static readonly JsonWebTokenHandler Handler = new();

    private SignedResultToken(JsonWebToken token, ResultVerifierTrust trust, JsonDocument claims)
    {
        Token = token;
        Trust = trust;
        Document = claims;
    }

    /// <summary>The token.</summary>
    public JsonWebToken Token { get; }

    /// <summary>The verifier that issued it.</summary>
    public ResultVerifierTrust Trust { get; }

    /// <summary>Its claims.</summary>
    public JsonElement Claims => Document.RootElement;

    /// <summary>When it expires: its <c>exp</c>, or its <c>iat</c> plus the verifier's maximum age.</summary>
    public DateTimeOffset ExpiresAt => Token.ValidTo != DateTime.MinValue
        ? new DateTimeOffset(Token.ValidTo, TimeSpan.Zero)
        : new DateTimeOffset(Token.IssuedAt, TimeSpan.Zero) + Trust.MaxTokenAge;

    private JsonDocument Document { get; }

    /// <inheritdoc />
    public void Dispose() => Document.Dispose();

    /// <summary>Checks <paramref name="compact"/> against the verifiers in <paramref name="trusted"/> (by issuer) at <paramref name="now"/>.</summary>
    /// <returns>The checked token, or null and the failure.</returns>
    public static async Task<(SignedResultToken? Token, VerificationResult? Failure)> CheckAsync(
        string compact, IReadOnlyDictionary<string, ResultVerifierTrust> trusted, IReadOnlyCollection<string> algorithms, DateTimeOffset now, TimeSpan clockSkew)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (string.IsNullOrEmpty(compact) || !Handler.CanReadToken(compact))
        {
            return Fail(AppraisalCheck.MalformedEvidence, "not a compact JWT");
        }

        var token = new JsonWebToken(compact);
        if (!algorithms.Contains(token.Alg))
        {
            return Fail(AppraisalCheck.Algorithm, "the token's algorithm is not accepted for its format");
        }

        if (!trusted.TryGetValue(token.Issuer ?? string.Empty, out var trust))
        {
            return Fail(AppraisalCheck.Issuer, "the token's issuer is not a configured verifier of its format");
        }

        var (keys, keyFailure) = SigningKeys(token, trust, now);
        if (keyFailure is not null)
        {
            return (null, keyFailure);
        }

        var result = await Handler.ValidateTokenAsync(compact, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = algorithms,
            ValidIssuer = trust.Issuer,
            ValidateAudience = false, // checked below, to name the failure precisely
            ValidateLifetime = false, // checked below against the judged instant
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = true, // the candidates are already only the pinned key of this kid, or the chain's leaf
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Fail(AppraisalCheck.Signature, "the signature does not verify under the verifier's key");
        }

        if (trust.Audience is { } audience && !token.Audiences.Contains(audience, StringComparer.Ordinal))
        {
            return Fail(AppraisalCheck.Audience, $"the token is not addressed to '{audience}'");
        }

        if (token.ValidTo == DateTime.MinValue && token.IssuedAt == DateTime.MinValue)
        {
            return Fail(AppraisalCheck.MalformedEvidence, "the token states neither exp nor iat");
        }

        var checkedToken = new SignedResultToken(token, trust, JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)));
        if (now - clockSkew >= checkedToken.ExpiresAt)
        {
            checkedToken.Dispose();
            return Fail(AppraisalCheck.TokenExpired, $"the token expired at {checkedToken.ExpiresAt:u}");
        }

        if ((token.ValidFrom != DateTime.MinValue && now + clockSkew < new DateTimeOffset(token.ValidFrom, TimeSpan.Zero))
            || (token.IssuedAt != DateTime.MinValue && now + clockSkew < new DateTimeOffset(token.IssuedAt, TimeSpan.Zero)))
        {
            checkedToken.Dispose();
            return Fail(AppraisalCheck.TokenNotYetValid, "the token is not valid yet");
        }

        return (checkedToken, null);
    }

    private static (IList<SecurityKey> Keys, VerificationResult? Failure) SigningKeys(JsonWebToken token, ResultVerifierTrust trust, DateTimeOffset now)
    {
        if (trust.Roots.Count > 0)
        {
            return ChainKey(token, trust, now);
        }

        var keys = string.IsNullOrEmpty(token.Kid) ? trust.Keys.Keys : trust.Keys.Keys.Where(k => k.Kid == token.Kid).ToList();
        return keys.Count == 0
            ? ([], VerificationResult.Failed(AppraisalCheck.UnknownKey, $"the token's key is not in the pinned keys of {trust.Issuer}"))
            : (keys.Cast<SecurityKey>().ToList(), null);
    }

    // A verifier that signs with a certificate (Trustee's EAR may) is trusted through its chain to a configured root.
    private static (IList<SecurityKey> Keys, VerificationResult? Failure) ChainKey(JsonWebToken token, ResultVerifierTrust trust, DateTimeOffset now)
    {
        if (!token.TryGetHeaderValue<List<object>>("x5c", out var x5c) || x5c.Count is 0 or > MaxChainLength)
        {
            return ([], VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"the x5c header must hold 1 to {MaxChainLength} certificates"));
        }

        var chain = new List<X509Certificate2>();
        try
        {
            foreach (var encoded in x5c)
            {
                chain.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(encoded?.ToString() ?? string.Empty)));
            }

            using var builder = new X509Chain();
            builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            builder.ChainPolicy.CustomTrustStore.AddRange(trust.Roots.ToArray());
            builder.ChainPolicy.ExtraStore.AddRange(chain.Skip(1).ToArray());
            builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            builder.ChainPolicy.DisableCertificateDownloads = true;
            builder.ChainPolicy.VerificationTime = now.UtcDateTime;
            builder.ChainPolicy.VerificationTimeIgnored = false;
            if (!builder.Build(chain[0]))
            {
                var expired = builder.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotTimeValid));
                return ([], expired
                    ? VerificationResult.Failed(AppraisalCheck.CertificateExpired, "the verifier's certificate is expired or not yet valid")
                    : VerificationResult.Failed(AppraisalCheck.CertificateChain, "the verifier's certificate does not chain to a configured root"));
            }

            SecurityKey? key = chain[0].GetECDsaPublicKey() is { } ec
                ? new ECDsaSecurityKey(ec) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } }
                : chain[0].GetRSAPublicKey() is { } rsa ? new RsaSecurityKey(rsa) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } } : null;
            return key is null
                ? ([], VerificationResult.Failed(AppraisalCheck.Signature, "the verifier's certificate holds no EC or RSA key"))
                : ([key], null);
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return ([], VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"unreadable x5c: {exception.GetType().Name}"));
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    private static (SignedResultToken?, VerificationResult?) Fail(AppraisalCheck check, string detail) => (null, VerificationResult.Failed(check, detail));
}
