using System.Text.Json;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Verifies <c>composite</c> evidence: <c>{"parts": [{"format": F, "evidence": E}, …]}</c>, say an <c>ita-jwt</c> for
/// the CPU TEE and an <c>nvidia-eat</c> bundle for the GPUs. Each part is verified by its own format's verifier; all
/// must answer the same challenge (each in its own binding), state the same TEE kind and key where they state one,
/// and together they are one node's evidence, appraised as a whole: every component of every part counts.
/// </summary>
public sealed class CompositeVerifier : IEvidenceVerifier
{
    /// <summary>Most parts in one composite.</summary>
    public const int MaxParts = 4;

    private readonly Dictionary<string, IEvidenceVerifier> _verifiers;

    /// <summary>Creates a composite verifier over <paramref name="parts"/> (never another composite).</summary>
    public CompositeVerifier(IEnumerable<IEvidenceVerifier> parts) =>
        _verifiers = parts.Where(v => v.Format != EvidenceFormats.Composite).ToDictionary(v => v.Format, StringComparer.Ordinal);

    /// <inheritdoc />
    public string Format => EvidenceFormats.Composite;

    /// <inheritdoc />
    public async Task<VerificationResult> VerifyAsync(string evidence, DateTimeOffset now)
    {
        List<(string Format, string Evidence)> parts;
        try
        {
            parts = ReadParts(evidence);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"not composite evidence: {exception.Message}");
        }

        var verified = new List<VerifiedEvidence>();
        foreach (var (format, part) in parts)
        {
            if (!EvidenceFormats.All.Contains(format) || format == EvidenceFormats.Composite)
            {
                return VerificationResult.Failed(AppraisalCheck.UnknownFormat, "a part names an unknown format");
            }

            if (!_verifiers.TryGetValue(format, out var verifier))
            {
                return VerificationResult.Failed(AppraisalCheck.NoVerifierConfigured, $"no verifier is configured for the {format} part");
            }

            var result = await verifier.VerifyAsync(part, now).ConfigureAwait(false);
            if (result.Evidence is not { } partEvidence)
            {
                return VerificationResult.Failed(result.FailedCheck, $"{format} part: {result.Detail}");
            }

            verified.Add(partEvidence);
        }

        return Combine(verified);
    }

    private static VerificationResult Combine(List<VerifiedEvidence> parts)
    {
        // The challenge is what an exact part carries; every other part must carry it in its own binding.
        var anchor = parts.FirstOrDefault(p => p.NonceBinding == NonceBinding.Exact) ?? parts[0];
        foreach (var part in parts)
        {
            var expected = part.NonceBinding == anchor.NonceBinding ? anchor.Nonce
                : anchor.NonceBinding == NonceBinding.Exact ? NonceBindings.Encode(part.NonceBinding, anchor.Nonce)
                : null;
            if (!string.Equals(expected, part.Nonce, StringComparison.Ordinal))
            {
                return VerificationResult.Failed(AppraisalCheck.NonceMismatch, "the parts answer different challenges");
            }
        }

        var teeKinds = parts.Select(p => p.TeeKind).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var teeKeys = parts.Select(p => p.TeePublicKeyJwk).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var nodes = parts.Select(p => p.NodeId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (teeKinds.Count > 1 || teeKeys.Count > 1 || nodes.Count > 1)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "the parts disagree on the node, its TEE kind or its TEE key");
        }

        var gpuNonces = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (gpu, nonce) in parts.SelectMany(p => p.GpuNonces))
        {
            if (!gpuNonces.TryAdd(gpu, nonce))
            {
                return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "a GPU is attested by two parts");
            }
        }

        var expiries = parts.Select(p => p.ExpiresAt).OfType<DateTimeOffset>().ToList();
        return VerificationResult.Verified(new VerifiedEvidence(
            nodes.SingleOrDefault(),
            anchor.Nonce,
            teeKinds.SingleOrDefault(),
            teeKeys.SingleOrDefault(),
            [.. parts.SelectMany(p => p.Components)],
            expiries.Count == 0 ? null : expiries.Min(),
            [.. parts.SelectMany(p => p.CertificateThumbprints)],
            [.. parts.SelectMany(p => p.CertificateSerials)],
            gpuNonces,
            // GPUs attested by two parts count twice and so fail the inventory: each GPU is one part's to attest.
            parts.All(p => p.GpuCount is null) ? null : parts.Sum(p => p.GpuCount ?? 0),
            parts.Select(p => p.Refusal).FirstOrDefault(r => r is not null),
            anchor.NonceBinding));
    }

    private static List<(string, string)> ReadParts(string evidence)
    {
        using var document = JsonDocument.Parse(evidence, new JsonDocumentOptions { MaxDepth = 16 });
        if (!document.RootElement.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array
            || parts.GetArrayLength() is 0 or > MaxParts)
        {
            throw new FormatException($"expected {{\"parts\": [1 to {MaxParts} parts]}}");
        }

        return parts.EnumerateArray().Select(part =>
        {
            var format = part.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : throw new FormatException("a part has no format");
            var text = part.TryGetProperty("evidence", out var e) ? e.ValueKind switch
            {
                JsonValueKind.String => e.GetString()!,
                JsonValueKind.Array or JsonValueKind.Object => e.GetRawText(), // a bundle may be embedded as JSON
                _ => throw new FormatException("a part's evidence is a string or JSON"),
            } : throw new FormatException("a part has no evidence");
            return (format, text);
        }).ToList();
    }
}
