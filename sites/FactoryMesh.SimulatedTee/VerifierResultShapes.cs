using System.Globalization;
using System.Text.Json.Nodes;

namespace FactoryMesh.SimulatedTee;

/// <summary>
/// The claims external verifiers put in their results, as their public documentation shows them: NVIDIA's GPU and
/// switch claims (version 3, as NRAS and the NVAT SDK return them) and the overall token of a detached EAT bundle;
/// Veraison's EAR as Trustee issues it; Intel Trust Authority's TDX token and its composite <c>tdx+nvgpu</c> form.
/// Every shape is a passing result; tests change one claim to make it fail.
/// </summary>
public static class VerifierResultShapes
{
    /// <summary>The EAR profile.</summary>
    public const string EarProfile = "tag:github.com,2023:veraison/ear";

    /// <summary>One NVIDIA GPU's detached claims: every check passed, CERT chains valid with OCSP good, no warning.</summary>
    public static JsonObject NvidiaGpu(string ueid, string eatNonce, string hwModel, string driverVersion, string vbiosVersion, DateTimeOffset now)
    {
        var claims = Timed(now);
        claims["eat_nonce"] = eatNonce;
        claims["ueid"] = ueid;
        claims["oemid"] = "5703";
        claims["hwmodel"] = hwModel;
        claims["secboot"] = true;
        claims["dbgstat"] = "disabled";
        claims["measres"] = "success";
        claims["x-nvidia-device-type"] = "gpu";
        claims["x-nvidia-gpu-arch-check"] = true;
        claims["x-nvidia-gpu-driver-version"] = driverVersion;
        claims["x-nvidia-gpu-vbios-version"] = vbiosVersion;
        claims["x-nvidia-attestation-warning"] = null;
        claims["x-nvidia-mismatch-measurement-records"] = null;
        AddReportChecks(claims, "x-nvidia-gpu", now);
        AddManifestChecks(claims, "x-nvidia-gpu-driver", now);
        AddManifestChecks(claims, "x-nvidia-gpu-vbios", now);
        claims["x-nvidia-gpu-vbios-index-no-conflict"] = true;
        return claims;
    }

    /// <summary>One NVSwitch's detached claims (PPCIE systems): every check passed.</summary>
    public static JsonObject NvidiaSwitch(string ueid, string eatNonce, string biosVersion, DateTimeOffset now)
    {
        var claims = Timed(now);
        claims["eat_nonce"] = eatNonce;
        claims["ueid"] = ueid;
        claims["oemid"] = "5703";
        claims["measres"] = "success";
        claims["dbgstat"] = "disabled";
        claims["x-nvidia-device-type"] = "nvswitch";
        claims["x-nvidia-switch-arch-check"] = "LS10";
        claims["x-nvidia-switch-bios-version"] = biosVersion;
        claims["x-nvidia-attestation-warning"] = null;
        AddReportChecks(claims, "x-nvidia-switch", now);
        AddManifestChecks(claims, "x-nvidia-switch-bios", now);
        return claims;
    }

    /// <summary>The overall token of a detached EAT bundle, committing to each detached token by its SHA-256.</summary>
    public static JsonObject NvidiaOverall(string eatNonce, IReadOnlyDictionary<string, string> detached, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(detached);
        var claims = Timed(now);
        claims["sub"] = "NVIDIA-PLATFORM-ATTESTATION";
        claims["x-nvidia-ver"] = "3.0";
        claims["x-nvidia-overall-att-result"] = true;
        claims["eat_nonce"] = eatNonce;
        var submods = new JsonObject();
        foreach (var (name, token) in detached)
        {
            submods[name] = new JsonArray("DIGEST", new JsonArray("SHA-256", SimulatedVerifier.Digest(token)));
        }

        claims["submods"] = submods;
        return claims;
    }

    /// <summary>An EAR submodule: its status, an all-affirming trustworthiness vector, and what the verifier annotated.</summary>
    public static JsonObject EarSubmodule(JsonObject? annotatedEvidence = null, string status = "affirming", string? akpub = null)
    {
        var submod = new JsonObject
        {
            ["ear.status"] = status,
            ["ear.trustworthiness-vector"] = new JsonObject
            {
                ["instance-identity"] = 2,
                ["configuration"] = 2,
                ["executables"] = 3,
                ["file-system"] = 2,
                ["hardware"] = 2,
                ["runtime-opaque"] = 2,
                ["storage-opaque"] = 2,
                ["sourced-data"] = 2,
            },
            ["ear.appraisal-policy-id"] = "policy:sim/default",
            ["ear.veraison.annotated-evidence"] = annotatedEvidence ?? new JsonObject(),
        };
        if (akpub is not null)
        {
            submod["ear.veraison.key-attestation"] = new JsonObject { ["akpub"] = akpub };
        }

        return submod;
    }

    /// <summary>An EAR with <paramref name="submods"/>, answering <paramref name="nonce"/>.</summary>
    public static JsonObject Ear(string nonce, IReadOnlyList<(string Name, JsonObject Submodule)> submods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(submods);
        var map = new JsonObject();
        foreach (var (name, submodule) in submods)
        {
            map[name] = submodule;
        }

        return new JsonObject
        {
            ["eat_profile"] = EarProfile,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
            ["ear.verifier-id"] = new JsonObject { ["developer"] = "https://confidentialcontainers.org", ["build"] = "simulated" },
            ["eat_nonce"] = nonce,
            ["submods"] = map,
        };
    }

    /// <summary>
    /// An Intel Trust Authority token for a TDX guest: the TDX part (TCB up to date, not debuggable, its measurements, the
    /// attester's runtime data holding the challenge and TEE key), and, given GPUs, the composite form with an
    /// <c>nvgpu</c> part beside it.
    /// </summary>
    public static JsonObject Ita(string nonce, JsonObject teePublicJwk, IReadOnlyDictionary<string, string> tdMeasurements, DateTimeOffset now, IReadOnlyList<JsonObject>? gpus = null)
    {
        ArgumentNullException.ThrowIfNull(tdMeasurements);
        var tdx = new JsonObject
        {
            ["attester_type"] = "TDX",
            ["attester_tcb_status"] = "UpToDate",
            ["attester_tcb_date"] = "2026-08-14T00:00:00Z",
            ["attester_advisory_ids"] = new JsonArray(),
            ["dbgstat"] = "disabled",
            ["tdx_is_debuggable"] = false,
            ["tdx_mrseam"] = new string('5', 96),
            ["tdx_mrsignerseam"] = new string('0', 96),
            ["tdx_seam_attributes"] = "0000000000000000",
            ["tdx_td_attributes"] = "0000001000000000",
            ["tdx_xfam"] = "e742060000000000",
            ["attester_runtime_data"] = new JsonObject { ["nonce"] = nonce, ["tee_pubkey"] = teePublicJwk.DeepClone() },
            ["verifier_instance_ids"] = new JsonArray("sim-ita-1"),
        };
        foreach (var (name, value) in tdMeasurements)
        {
            tdx[$"tdx_{name}"] = value;
        }

        var token = Timed(now);
        token["ver"] = "2.0.0";
        token["eat_profile"] = "https://portal.trustauthority.intel.com/eat_profile.html";
        if (gpus is null)
        {
            foreach (var (name, value) in tdx.ToList())
            {
                tdx.Remove(name);
                token[name] = value;
            }
        }
        else
        {
            token["tdx"] = tdx;
            token["nvgpu"] = gpus.Count == 1 ? gpus[0].DeepClone() : new JsonArray([.. gpus.Select(g => g.DeepClone())]);
        }

        return token;
    }

    private static JsonObject Timed(DateTimeOffset now) => new()
    {
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = (now + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString(),
    };

    private static void AddReportChecks(JsonObject claims, string prefix, DateTimeOffset now)
    {
        foreach (var check in new[] { "parsed", "signature-verified", "nonce-match", "cert-chain-fwid-match" })
        {
            claims[$"{prefix}-attestation-report-{check}"] = true;
        }

        claims[$"{prefix}-attestation-report-cert-chain"] = CertificateChain(now);
    }

    private static void AddManifestChecks(JsonObject claims, string prefix, DateTimeOffset now)
    {
        foreach (var check in new[] { "fetched", "schema-validated", "signature-verified", "version-match", "measurements-available" })
        {
            claims[$"{prefix}-rim-{check}"] = true;
        }

        claims[$"{prefix}-rim-cert-chain"] = CertificateChain(now);
    }

    private static JsonObject CertificateChain(DateTimeOffset now) => new()
    {
        ["x-nvidia-cert-expiration-date"] = now.AddYears(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["x-nvidia-cert-status"] = "valid",
        ["x-nvidia-cert-ocsp-status"] = "good",
        ["x-nvidia-cert-revocation-reason"] = null,
    };
}
