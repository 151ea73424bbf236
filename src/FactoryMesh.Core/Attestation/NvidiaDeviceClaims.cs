using System.Text.Json;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Appraises one NVIDIA device's detached claims as NVIDIA's verifiers state them (claims version 3, the same in
/// NRAS, the NVAT SDK and Intel Trust Authority's <c>nvgpu</c> part): the measurement result, secure boot, debug
/// status, the attestation report's own checks, the reference integrity manifests' checks, the certificate chains'
/// status and OCSP status, and the verifier's warning. The versions become measurements for reference values.
/// </summary>
public static class NvidiaDeviceClaims
{
    /// <summary>Claim naming the device type: <c>gpu</c> or <c>nvswitch</c>.</summary>
    public const string DeviceTypeClaim = "x-nvidia-device-type";

    /// <summary>The warning an NVIDIA verifier attaches when it let something pass it would otherwise refuse.</summary>
    public const string WarningClaim = "x-nvidia-attestation-warning";

    /// <summary>The component kind of an NVSwitch (PPCIE systems attest their switches too).</summary>
    public const string SwitchKind = "switch";

    private static readonly string[] ReportChecks = ["parsed", "signature-verified", "nonce-match", "cert-chain-fwid-match"];
    private static readonly string[] ManifestChecks = ["fetched", "schema-validated", "signature-verified", "version-match", "measurements-available"];

    /// <summary>What a device family is called in claim names, which manifests it has, and how versions are named as measurements.</summary>
    private sealed record Family(string Kind, string Prefix, string ArchitectureClaim, (string Manifest, string Measurement)[] Manifests);

    private static readonly Family Gpu = new("gpu", "x-nvidia-gpu", "x-nvidia-gpu-arch-check", [("driver", "driver"), ("vbios", "vbios")]);
    private static readonly Family Switch = new(SwitchKind, "x-nvidia-switch", "x-nvidia-switch-arch-check", [("bios", "bios")]);

    /// <summary>True when <paramref name="claims"/> (or, lacking a type claim, <paramref name="name"/>) is a switch's.</summary>
    public static bool IsSwitch(JsonElement claims, string name) =>
        ClaimPath.Text(claims, DeviceTypeClaim) is { } type
            ? type.Contains("switch", StringComparison.OrdinalIgnoreCase)
            : name.StartsWith("SWITCH", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The device's component evidence and the first claim that fails, if any. <paramref name="fallbackId"/> names it
    /// when it states no <c>ueid</c>.
    /// </summary>
    public static (ComponentEvidence Component, ClaimRefusal? Refusal) Appraise(JsonElement claims, string fallbackId, bool isSwitch, bool allowCertHold, string format)
    {
        var family = isSwitch ? Switch : Gpu;
        var id = ClaimPath.Text(claims, "ueid") is { Length: > 0 } ueid ? ueid : fallbackId;
        var quoted = EvidenceText.Quote(id);
        var measurements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (manifest, measurement) in family.Manifests)
        {
            if (ClaimPath.Text(claims, $"{family.Prefix}-{manifest}-version") is { } version)
            {
                measurements[measurement] = version;
            }
        }

        var debug = ClaimPath.Text(claims, "dbgstat") switch
        {
            "disabled" => false,
            "enabled" => true,
            _ => (bool?)null,
        };
        var measured = string.Equals(ClaimPath.Text(claims, "measres"), "success", StringComparison.OrdinalIgnoreCase);
        var component = new ComponentEvidence(
            family.Kind,
            id,
            measurements,
            // NVIDIA's results state no CC-mode claim: a device answers attestation with a passing measurement result only
            // in a confidential-computing configuration the reference manifests describe, so a pass stands for CC mode on.
            CcModeOn: measured,
            debug,
            Model: ClaimPath.Text(claims, "hwmodel") ?? (ClaimPath.TryGet(claims, family.ArchitectureClaim, out var arch) && arch.ValueKind == JsonValueKind.String ? arch.GetString() : null),
            Format: format);

        return (component, Refusal(claims, family, quoted, measured, allowCertHold));
    }

    private static ClaimRefusal? Refusal(JsonElement claims, Family family, string quoted, bool measured, bool allowCertHold)
    {
        if (!measured)
        {
            return new(AppraisalCheck.VerifierResult, $"{quoted}: the measurement result (measres) is not success");
        }

        if (family == Gpu && !ClaimPath.IsTrue(claims, "secboot"))
        {
            return new(AppraisalCheck.SecureBoot, $"{quoted}: secure boot (secboot) is not reported on");
        }

        var failedReport = ReportChecks.FirstOrDefault(check => !ClaimPath.IsTrue(claims, $"{family.Prefix}-attestation-report-{check}"));
        if (failedReport is not null)
        {
            return new(AppraisalCheck.AttestationReport, $"{quoted}: {family.Prefix}-attestation-report-{failedReport} is not true");
        }

        if (claims.TryGetProperty(family.ArchitectureClaim, out var arch) && arch.ValueKind == JsonValueKind.False)
        {
            return new(AppraisalCheck.AttestationReport, $"{quoted}: {family.ArchitectureClaim} is false");
        }

        foreach (var (manifest, _) in family.Manifests)
        {
            var failedManifest = ManifestChecks.FirstOrDefault(check => !ClaimPath.IsTrue(claims, $"{family.Prefix}-{manifest}-rim-{check}"));
            if (failedManifest is not null)
            {
                return new(AppraisalCheck.ReferenceManifest, $"{quoted}: {family.Prefix}-{manifest}-rim-{failedManifest} is not true");
            }
        }

        var chains = new[] { $"{family.Prefix}-attestation-report-cert-chain" }.Concat(family.Manifests.Select(m => $"{family.Prefix}-{m.Manifest}-rim-cert-chain"));
        var onHold = false;
        foreach (var chain in chains)
        {
            if (!claims.TryGetProperty(chain, out var status) || status.ValueKind != JsonValueKind.Object)
            {
                return new(AppraisalCheck.CertificateStatus, $"{quoted}: {chain} is not stated");
            }

            if (!string.Equals(ClaimPath.Text(status, "x-nvidia-cert-status"), "valid", StringComparison.OrdinalIgnoreCase))
            {
                return new(AppraisalCheck.CertificateStatus, $"{quoted}: {chain} is not valid");
            }

            var ocsp = ClaimPath.Text(status, "x-nvidia-cert-ocsp-status");
            if (string.Equals(ocsp, "good", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (string.Equals(ocsp, "revoked", StringComparison.OrdinalIgnoreCase) && IsHold(ClaimPath.Text(status, "x-nvidia-cert-revocation-reason")))
            {
                if (!allowCertHold)
                {
                    return new(AppraisalCheck.AttestationWarning, $"{quoted}: {chain} is on hold (certificateHold), which this deployment does not accept");
                }

                onHold = true;
                continue;
            }

            return new(AppraisalCheck.CertificateStatus, $"{quoted}: the OCSP status of {chain} is not good");
        }

        if (claims.TryGetProperty(WarningClaim, out var warning) && warning.ValueKind != JsonValueKind.Null)
        {
            var text = warning.ValueKind == JsonValueKind.String ? warning.GetString() : warning.GetRawText();
            if (!(allowCertHold && IsHold(text)))
            {
                return new(AppraisalCheck.AttestationWarning, IsHold(text)
                    ? $"{quoted}: the verifier warns of a certificate on hold (CERT_HOLD), which this deployment does not accept"
                    : $"{quoted}: the verifier attached a warning");
            }
        }
        else if (onHold)
        {
            // A hold the verifier let pass without saying so is not the documented shape; refuse rather than guess.
            return new(AppraisalCheck.AttestationWarning, $"{quoted}: a certificate is on hold but the verifier states no warning");
        }

        return null;
    }

    private static bool IsHold(string? text) =>
        text is not null && (text.Contains("hold", StringComparison.OrdinalIgnoreCase) || text.Contains("CERT_HOLD", StringComparison.Ordinal));
}
