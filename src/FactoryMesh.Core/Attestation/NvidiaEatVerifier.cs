using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Verifies <c>nvidia-eat</c>: NVIDIA's detached EAT bundle as NRAS (or the NVAT SDK) returns it,
/// <c>[["JWT", overall], {"GPU-0": jwt, …}]</c>, or an array of such bundles (a GPU bundle and a switch bundle on a
/// PPCIE system). Every JWT must be ES384 under a pinned key of a trusted NVIDIA verifier; the overall token's
/// <c>submods</c> must commit to exactly the detached tokens (<c>["DIGEST", ["SHA-256", hex]]</c> over each token's
/// text); every token must answer the same <c>eat_nonce</c>. Each device's claims are appraised by
/// <see cref="NvidiaDeviceClaims"/>; the overall result must be true.
/// </summary>
public sealed class NvidiaEatVerifier(IEnumerable<ResultVerifierTrust> trusted, TimeSpan clockSkew) : ResultTokenVerifier(trusted, clockSkew)
{
    /// <summary>Most bundles in one evidence (a GPU bundle and a switch bundle; room for one more).</summary>
    public const int MaxBundles = 3;

    private const int MaxDevicesPerBundle = 64;
    private static readonly string[] Es384 = [SecurityAlgorithms.EcdsaSha384];

    /// <inheritdoc />
    public override string Format => EvidenceFormats.NvidiaEat;

    /// <inheritdoc />
    protected override IReadOnlyCollection<string> Algorithms => Es384;

    /// <inheritdoc />
    public override async Task<VerificationResult> VerifyAsync(string evidence, DateTimeOffset now)
    {
        List<(string Overall, Dictionary<string, string> Detached)> bundles;
        try
        {
            bundles = ReadBundles(evidence);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"not a detached EAT bundle: {exception.Message}");
        }

        string? nonce = null;
        NonceBinding binding = NonceBinding.Exact;
        var components = new List<ComponentEvidence>();
        var deviceIds = new HashSet<string>(StringComparer.Ordinal);
        ClaimRefusal? refusal = null;
        var expires = DateTimeOffset.MaxValue;
        foreach (var (overallText, detached) in bundles)
        {
            var (overall, failure) = await CheckAsync(overallText, now).ConfigureAwait(false);
            if (overall is null)
            {
                return failure!;
            }

            using (overall)
            {
                var bundleNonce = ClaimPath.Text(overall.Claims, overall.Trust.NonceClaim);
                if (bundleNonce is null)
                {
                    return VerificationResult.Failed(AppraisalCheck.NonceForged, $"the overall token carries no '{overall.Trust.NonceClaim}'");
                }

                if (nonce is not null && !string.Equals(nonce, bundleNonce, StringComparison.Ordinal))
                {
                    return VerificationResult.Failed(AppraisalCheck.NonceMismatch, "the bundles answer different nonces");
                }

                nonce = bundleNonce;
                binding = overall.Trust.NonceBinding;
                expires = Min(expires, overall.ExpiresAt);
                if (!ClaimPath.IsTrue(overall.Claims, "x-nvidia-overall-att-result"))
                {
                    refusal ??= new(AppraisalCheck.VerifierResult, "the verifier's overall result (x-nvidia-overall-att-result) is not true");
                }

                var commitments = Commitments(overall.Claims);
                if (commitments is null)
                {
                    return VerificationResult.Failed(AppraisalCheck.DetachedClaims, "the overall token's submods are not digests of detached claims");
                }

                if (!commitments.Keys.Order(StringComparer.Ordinal).SequenceEqual(detached.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
                {
                    return VerificationResult.Failed(AppraisalCheck.DetachedClaims, "the overall token does not commit to exactly the detached tokens");
                }

                foreach (var (name, token) in detached.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    if (!Matches(commitments[name], token))
                    {
                        return VerificationResult.Failed(AppraisalCheck.DetachedClaims, $"{EvidenceText.Quote(name)}: the detached token does not match its digest");
                    }

                    var (device, deviceFailure) = await CheckAsync(token, now).ConfigureAwait(false);
                    if (device is null)
                    {
                        return deviceFailure!;
                    }

                    using (device)
                    {
                        if (!string.Equals(ClaimPath.Text(device.Claims, overall.Trust.NonceClaim), bundleNonce, StringComparison.Ordinal))
                        {
                            return VerificationResult.Failed(AppraisalCheck.NonceMismatch, $"{EvidenceText.Quote(name)}: the device's claims answer another nonce than the overall token");
                        }

                        expires = Min(expires, device.ExpiresAt);
                        var (component, deviceRefusal) = NvidiaDeviceClaims.Appraise(device.Claims, name, NvidiaDeviceClaims.IsSwitch(device.Claims, name), overall.Trust.AllowCertHold, Format);
                        if (!deviceIds.Add($"{component.Kind}:{component.Id}"))
                        {
                            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "a device is attested twice");
                        }

                        components.Add(component);
                        refusal ??= deviceRefusal;
                    }
                }
            }
        }

        return VerificationResult.Verified(new VerifiedEvidence(
            NodeId: null,
            nonce!,
            TeeKind: null,
            TeePublicKeyJwk: null,
            components,
            expires,
            CertificateThumbprints: [],
            CertificateSerials: [],
            GpuNonces: new Dictionary<string, string>(),
            GpuCount: components.Count(c => c.Kind == "gpu"),
            refusal,
            binding));
    }

    private static List<(string, Dictionary<string, string>)> ReadBundles(string evidence)
    {
        using var document = JsonDocument.Parse(evidence, new JsonDocumentOptions { MaxDepth = 16 });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
        {
            throw new FormatException("expected a JSON array");
        }

        // One bundle starts with ["JWT", …]; a list of bundles starts with a bundle.
        var bundles = root[0].ValueKind == JsonValueKind.Array && root[0].GetArrayLength() > 0 && root[0][0].ValueKind == JsonValueKind.String
            ? new[] { root }
            : root.EnumerateArray().ToArray();
        if (bundles.Length is 0 or > MaxBundles)
        {
            throw new FormatException($"expected 1 to {MaxBundles} bundles");
        }

        return bundles.Select(ReadBundle).ToList();
    }

    private static (string, Dictionary<string, string>) ReadBundle(JsonElement bundle)
    {
        if (bundle.ValueKind != JsonValueKind.Array || bundle.GetArrayLength() != 2
            || bundle[0].ValueKind != JsonValueKind.Array || bundle[0].GetArrayLength() != 2
            || bundle[0][0].GetString() != "JWT" || bundle[0][1].ValueKind != JsonValueKind.String
            || bundle[1].ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a bundle is [[\"JWT\", overall], {device: jwt}]");
        }

        var detached = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var device in bundle[1].EnumerateObject())
        {
            if (device.Value.ValueKind != JsonValueKind.String || !detached.TryAdd(device.Name, device.Value.GetString()!) || detached.Count > MaxDevicesPerBundle)
            {
                throw new FormatException("each device maps to one JWT, at most 64 per bundle");
            }
        }

        return (bundle[0][1].GetString()!, detached);
    }

    private static Dictionary<string, (string Algorithm, string Digest)>? Commitments(JsonElement overall)
    {
        if (!overall.TryGetProperty("submods", out var submods) || submods.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var commitments = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var submod in submods.EnumerateObject())
        {
            var value = submod.Value;
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || value[0].GetString() != "DIGEST"
                || value[1].ValueKind != JsonValueKind.Array || value[1].GetArrayLength() != 2
                || value[1][0].ValueKind != JsonValueKind.String || value[1][1].ValueKind != JsonValueKind.String)
            {
                return null;
            }

            commitments[submod.Name] = (value[1][0].GetString()!, value[1][1].GetString()!);
        }

        return commitments;
    }

    private static bool Matches((string Algorithm, string Digest) commitment, string token)
    {
        var bytes = Encoding.ASCII.GetBytes(token);
        byte[]? actual = commitment.Algorithm.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "SHA256" => SHA256.HashData(bytes),
            "SHA384" => SHA384.HashData(bytes),
            "SHA512" => SHA512.HashData(bytes),
            _ => null,
        };
        if (actual is null)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(actual, Convert.FromHexString(commitment.Digest));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
