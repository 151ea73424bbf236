using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Verifies <c>sim-jws</c> evidence: a compact JWS, ES384 only, whose <c>x5c</c> header carries the device
/// certificate chain (leaf first) that must chain to one of the configured roots at the time of judgement, and
/// whose signature must verify under the leaf's P-384 key. The payload holds the node id, the nonce, the TEE
/// kind and public key (JWK), the CPU's measurements and debug state, and one entry per GPU with its id,
/// derived nonce, measurements, CC mode and debug state.
/// </summary>
public sealed class SimulatedTeeVerifier : IEvidenceVerifier
{
    /// <summary>
    /// The extended key usage a simulated vendor puts in device certificates issued for attestation (a UUID-based OID,
    /// ITU-T X.667, so it needs no registry). A chain whose leaf lacks it is refused, as a real vendor's policy OID
    /// would be required: any other certificate under the same root (a TLS server's, an operator's) cannot sign evidence.
    /// </summary>
    public const string DeviceAttestationEku = "2.25.311570984066893159923911884425029240675";

    private const int MaxChainLength = 5;
    private readonly X509Certificate2Collection _roots;
    private readonly CertificateChainCache _cache;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Creates a verifier trusting exactly <paramref name="roots"/>.</summary>
    public SimulatedTeeVerifier(IEnumerable<X509Certificate2> roots, CertificateChainCache cache)
    {
        _roots = [.. roots];
        _cache = cache;
    }

    /// <inheritdoc />
    public string Format => EvidenceFormats.SimulatedJws;

    /// <inheritdoc />
    public async Task<VerificationResult> VerifyAsync(string evidence, DateTimeOffset now)
    {
        if (!_handler.CanReadToken(evidence))
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "not a compact JWS");
        }

        var token = new JsonWebToken(evidence);
        if (token.Alg != SecurityAlgorithms.EcdsaSha384)
        {
            return VerificationResult.Failed(AppraisalCheck.Algorithm, "the evidence's algorithm is not ES384");
        }

        if (!token.TryGetHeaderValue<List<object>>("x5c", out var x5c) || x5c.Count is 0 or > MaxChainLength)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"the x5c header must hold 1 to {MaxChainLength} certificates");
        }

        var chain = new List<X509Certificate2>();
        try
        {
            foreach (var encoded in x5c)
            {
                chain.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(encoded?.ToString() ?? string.Empty)));
            }

            var chainFailure = ValidateChain(chain, now);
            if (chainFailure is not null)
            {
                return chainFailure;
            }

            using var leafKey = chain[0].GetECDsaPublicKey();
            if (leafKey is null || leafKey.KeySize != 384)
            {
                return VerificationResult.Failed(AppraisalCheck.Signature, "the device certificate does not hold a P-384 key");
            }

            var result = await _handler.ValidateTokenAsync(evidence, new TokenValidationParameters
            {
                // Each evidence brings its own key object, disposed after use: no provider may be cached for it.
                IssuerSigningKey = new ECDsaSecurityKey(leafKey) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } },
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha384],
                ValidateIssuer = false,
                ValidateAudience = false,
                ValidateLifetime = false,
                RequireExpirationTime = false,
                RequireSignedTokens = true,
            });
            if (!result.IsValid)
            {
                return VerificationResult.Failed(AppraisalCheck.Signature, "the signature does not verify under the device certificate's key");
            }

            return ReadClaims(Base64UrlEncoder.Decode(evidence.Split('.')[1]), chain);
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"unreadable evidence: {exception.GetType().Name}");
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    private VerificationResult? ValidateChain(List<X509Certificate2> chain, DateTimeOffset now)
    {
        if (_roots.Count == 0)
        {
            return VerificationResult.Failed(AppraisalCheck.NoVerifierConfigured, "no root certificate is configured for sim-jws");
        }

        // A leaf without any extended key usage is valid for every usage to X.509 (RFC 5280 4.2.1.12), so the chain
        // policy alone would accept it: the leaf must name the attestation usage itself.
        if (!chain[0].Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages[DeviceAttestationEku] is not null))
        {
            return VerificationResult.Failed(AppraisalCheck.CertificatePolicy, "the device certificate is not issued for attestation (extended key usage)");
        }

        var key = string.Join(',', chain.Select(c => c.GetCertHashString(HashAlgorithmName.SHA256)));
        if (_cache.IsValidated(key, now))
        {
            return null;
        }

        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.CustomTrustStore.AddRange(_roots);
        builder.ChainPolicy.ExtraStore.AddRange(chain.Skip(1).ToArray());
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // revocation is the operator's list, checked by the attestor
        builder.ChainPolicy.DisableCertificateDownloads = true; // evidence names no URL the server will fetch (AIA)
        builder.ChainPolicy.VerificationTime = now.UtcDateTime;
        builder.ChainPolicy.VerificationTimeIgnored = false;
        builder.ChainPolicy.ApplicationPolicy.Add(new Oid(DeviceAttestationEku));
        if (!builder.Build(chain[0]))
        {
            var statuses = builder.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b);
            return statuses switch
            {
                _ when statuses.HasFlag(X509ChainStatusFlags.NotTimeValid) =>
                    VerificationResult.Failed(AppraisalCheck.CertificateExpired, "a device certificate is expired or not yet valid"),
                _ when statuses.HasFlag(X509ChainStatusFlags.NotValidForUsage) =>
                    VerificationResult.Failed(AppraisalCheck.CertificatePolicy, "the device certificate is not issued for attestation (extended key usage)"),
                _ => VerificationResult.Failed(AppraisalCheck.CertificateChain, "the device certificate does not chain to a configured root"),
            };
        }

        var elements = builder.ChainElements.Select(e => e.Certificate).ToList();
        _cache.Remember(key, elements.Max(c => new DateTimeOffset(c.NotBefore.ToUniversalTime())), elements.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime())), now);
        return null;
    }

    private static VerificationResult ReadClaims(string payloadJson, List<X509Certificate2> chain)
    {
        using var document = JsonDocument.Parse(payloadJson);
        var payload = document.RootElement;
        var components = new List<ComponentEvidence>();
        var gpuNonces = new Dictionary<string, string>(StringComparer.Ordinal);

        var cpu = payload.GetProperty("cpu");
        components.Add(new ComponentEvidence("cpu", "cpu", Measurements(cpu), CcModeOn: null, OptionalBool(cpu, "debug"), Format: EvidenceFormats.SimulatedJws));
        foreach (var gpu in payload.GetProperty("gpus").EnumerateArray())
        {
            var id = gpu.GetProperty("id").GetString() ?? throw new FormatException("a GPU has no id");
            if (gpuNonces.ContainsKey(id))
            {
                // Counted once per entry, a repeated GPU would make one GPU's evidence stand for several.
                return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "a GPU is attested twice");
            }

            gpuNonces[id] = gpu.GetProperty("nonce").GetString() ?? throw new FormatException($"GPU {id} has no nonce");
            var ccMode = gpu.TryGetProperty("ccMode", out var mode) ? mode.GetString() : null;
            components.Add(new ComponentEvidence("gpu", id, Measurements(gpu), ccMode is null ? null : ccMode == "on", OptionalBool(gpu, "debug"), Format: EvidenceFormats.SimulatedJws));
        }

        if (gpuNonces.Count == 0)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "the evidence attests no GPU");
        }

        return VerificationResult.Verified(new VerifiedEvidence(
            payload.GetProperty("nodeId").GetString(),
            payload.GetProperty("nonce").GetString() ?? throw new FormatException("no nonce"),
            payload.TryGetProperty("teeKind", out var teeKind) ? teeKind.GetString() : null,
            payload.TryGetProperty("teePublicKey", out var teeKey) && teeKey.ValueKind == JsonValueKind.Object ? teeKey.GetRawText() : null,
            components,
            ExpiresAt: null,
            chain.Select(c => c.GetCertHashString(HashAlgorithmName.SHA256)).ToArray(),
            chain.Select(c => c.SerialNumber).ToArray(),
            gpuNonces,
            GpuCount: components.Count(c => c.Kind == "gpu")));
    }

    private static Dictionary<string, string> Measurements(JsonElement component) =>
        component.GetProperty("measurements").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString() ?? string.Empty, StringComparer.Ordinal);

    private static bool? OptionalBool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
