using System.Text.Json;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Verifies <c>ear-jwt</c>: an EAR attestation result (profile <c>tag:github.com,2023:veraison/ear</c>) as Veraison
/// and Confidential Containers' Trustee issue it, signed under a pinned JWKS or an <c>x5c</c> chain to a configured
/// root. Each submodule is one device (<c>cpu0</c>, <c>gpu0</c> … <c>gpuN</c>): its <c>ear.status</c> must be
/// <c>affirming</c>, and its trustworthiness vector is carried for the appraisal policy's per-class minimums. The TEE
/// key comes from EAR's key-attestation extension (<c>ear.veraison.key-attestation/akpub</c>) or a configured claim.
/// </summary>
public sealed class EarVerifier(IEnumerable<ResultVerifierTrust> trusted, TimeSpan clockSkew) : ResultTokenVerifier(trusted, clockSkew)
{
    /// <summary>The EAR profile the token must declare.</summary>
    public const string Profile = "tag:github.com,2023:veraison/ear";

    /// <summary>Where EAR's key-attestation extension carries the attested key, inside a submodule.</summary>
    public const string KeyAttestationClaim = "ear.veraison.key-attestation/akpub";

    private const string AnnotatedEvidence = "ear.veraison.annotated-evidence";
    private const int MaxSubmodules = 72;

    /// <inheritdoc />
    public override string Format => EvidenceFormats.EarJwt;

    /// <inheritdoc />
    protected override VerificationResult Read(SignedResultToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var claims = token.Claims;
        if (ClaimPath.Text(claims, "eat_profile") != Profile)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"the token does not declare the EAR profile {Profile}");
        }

        if (!claims.TryGetProperty("submods", out var submods) || submods.ValueKind != JsonValueKind.Object)
        {
            return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, "the EAR has no submods");
        }

        var nonce = ClaimPath.Text(claims, token.Trust.NonceClaim);
        if (nonce is null)
        {
            return VerificationResult.Failed(AppraisalCheck.NonceForged, $"the EAR carries no '{token.Trust.NonceClaim}'");
        }

        var components = new List<ComponentEvidence>();
        ClaimRefusal? refusal = null;
        string? teeKind = null;
        var teeKey = TeeKeyClaim.Read(claims, token.Trust.TeePublicKeyClaim);
        foreach (var submod in submods.EnumerateObject().OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (submod.Value.ValueKind != JsonValueKind.Object || components.Count == MaxSubmodules)
            {
                return VerificationResult.Failed(AppraisalCheck.MalformedEvidence, $"submods must be at most {MaxSubmodules} objects");
            }

            var (component, submodRefusal) = ReadSubmodule(submod.Name, submod.Value);
            components.Add(component);
            refusal ??= submodRefusal;
            teeKey ??= TeeKeyClaim.Read(submod.Value, token.Trust.TeePublicKeyClaim) ?? TeeKeyClaim.Read(submod.Value, KeyAttestationClaim);
            if (component.Kind == "cpu")
            {
                teeKind ??= component.Model;
            }
        }

        return VerificationResult.Verified(new VerifiedEvidence(
            NodeId: null,
            nonce,
            teeKind,
            teeKey,
            components,
            token.ExpiresAt,
            CertificateThumbprints: [],
            CertificateSerials: [],
            GpuNonces: new Dictionary<string, string>(),
            GpuCount: components.Count(c => c.Kind == "gpu"),
            refusal,
            token.Trust.NonceBinding));
    }

    private static (ComponentEvidence, ClaimRefusal?) ReadSubmodule(string name, JsonElement submod)
    {
        var kind = KindOf(name);
        var vector = new Dictionary<string, int>(StringComparer.Ordinal);
        if (submod.TryGetProperty("ear.trustworthiness-vector", out var tv) && tv.ValueKind == JsonValueKind.Object)
        {
            foreach (var claim in tv.EnumerateObject())
            {
                if (claim.Value.ValueKind == JsonValueKind.Number && claim.Value.TryGetInt32(out var value))
                {
                    vector[claim.Name] = value;
                }
            }
        }

        ClaimPath.TryGet(submod, AnnotatedEvidence, out var annotated);
        var model = ClaimPath.Text(annotated, "hwmodel") ?? (kind == "cpu" ? CpuTeeKind(annotated) : null);
        var debug = ClaimPath.Text(annotated, "dbgstat") switch
        {
            "disabled" => false,
            "enabled" => true,
            // An affirming configuration claim is the verifier's statement that the device runs an approved
            // configuration, which excludes debug; anything less says nothing about debug.
            _ => vector.TryGetValue("configuration", out var configuration) && TrustTiers.IsAffirming(configuration) ? false : (bool?)null,
        };
        var component = new ComponentEvidence(
            kind,
            name,
            new Dictionary<string, string>(StringComparer.Ordinal),
            CcModeOn: kind == "gpu" ? debug == false && ClaimPath.Text(submod, "ear.status") == "affirming" : null,
            debug,
            model,
            TrustVector: vector,
            Format: EvidenceFormats.EarJwt);
        var status = ClaimPath.Text(submod, "ear.status");
        return (component, status == "affirming"
            ? null
            : new ClaimRefusal(AppraisalCheck.VerifierResult, $"{EvidenceText.Quote(name)}: ear.status is '{EvidenceText.Quote(status ?? "absent")}', not affirming"));
    }

    // Trustee names submodules by device: cpu0, gpu0 … gpuN; an NVSwitch is a switch whatever its prefix.
    private static string KindOf(string name)
    {
        var prefix = new string(name.TakeWhile(char.IsAsciiLetter).ToArray()).ToLowerInvariant();
        return prefix.Contains("switch", StringComparison.Ordinal) ? NvidiaDeviceClaims.SwitchKind : prefix;
    }

    private static string? CpuTeeKind(JsonElement annotated) =>
        annotated.ValueKind != JsonValueKind.Object ? null
        : annotated.TryGetProperty("tdx", out _) ? "TDX"
        : annotated.TryGetProperty("snp", out _) ? "SEV-SNP"
        : annotated.TryGetProperty("cca", out _) ? "CCA"
        : null;
}
