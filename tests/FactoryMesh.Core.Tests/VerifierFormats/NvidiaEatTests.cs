using System.Text.Json.Nodes;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using static FactoryMesh.Core.Tests.VerifierFormats.VerifierFormatBench;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Tests.VerifierFormats;

/// <summary>NVIDIA's detached EAT bundle (NRAS, NVAT): the pass case and every claim that can fail, one case each.</summary>
public sealed class NvidiaEatTests : IDisposable
{
    private const string GpuOnlyPolicy = """
        {"deviceClasses": {
          "h100": {"kind": "gpu", "match": ["GH100"], "registeredModels": ["H100"],
                   "referenceValues": {"driver": [{"value": "570.133.20", "version": "R570"}], "vbios": [{"value": "96.00.9F.00.04"}]}},
          "nvswitch": {"kind": "switch", "optional": true, "referenceValues": {"bios": [{"value": "96.10.6D.00.01"}]}}
        }}
        """;

    private readonly VerifierFormatBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private Task<AttestationVerdict> JudgeAsync(string bundle, string challenge, int gpus = 8, string gpuModel = "H100", bool allowCertHold = false) =>
        _bench.JudgeAsync(EvidenceFormats.NvidiaEat, bundle, challenge, gpus, gpuModel, attestor: _bench.Attestor(GpuOnlyPolicy, allowCertHold));

    private string Bundle(string challenge, int gpus = 8, Action<JsonObject>? gpu3 = null, Action<JsonObject>? overall = null)
    {
        var devices = Gpus(challenge, gpus);
        gpu3?.Invoke(devices[Math.Min(3, gpus - 1)].Claims);
        return _bench.Nras.NvidiaBundle(NvidiaNonce(challenge), devices, Now, overall);
    }

    [Fact]
    public async Task Eight_passing_gpus_answering_the_challenge_are_appraised_against_the_h100_class()
    {
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(Bundle(challenge), challenge);

        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Equal(8, verdict.Evidence!.GpuCount);
        Assert.All(verdict.Evidence.Components, c => Assert.Equal("GH100 A01 GSP BROM", c.Model));
        Assert.Equal(Driver, verdict.Evidence.Components[0].Measurements["driver"]);
        Assert.Equal(NonceBinding.Sha256Hex, verdict.Evidence.NonceBinding);
    }

    [Fact]
    public async Task A_node_registered_with_eight_gpus_and_evidence_for_seven_is_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(Bundle(challenge, gpus: 7), challenge, gpus: 8), AppraisalCheck.GpuInventoryMismatch);
    }

    [Fact]
    public async Task Gpus_of_another_model_than_the_node_registered_are_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(Bundle(challenge), challenge, gpuModel: "H200"), AppraisalCheck.DeviceModelMismatch);
    }

    [Fact]
    public async Task A_false_overall_result_is_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(Bundle(challenge, overall: o => o["x-nvidia-overall-att-result"] = false), challenge), AppraisalCheck.VerifierResult);
    }

    [Theory]
    [InlineData("measres", "failure", AppraisalCheck.VerifierResult)]
    [InlineData("secboot", false, AppraisalCheck.SecureBoot)]
    [InlineData("dbgstat", "enabled", AppraisalCheck.DebugEnabled)]
    [InlineData("x-nvidia-gpu-attestation-report-parsed", false, AppraisalCheck.AttestationReport)]
    [InlineData("x-nvidia-gpu-attestation-report-signature-verified", false, AppraisalCheck.AttestationReport)]
    [InlineData("x-nvidia-gpu-attestation-report-nonce-match", false, AppraisalCheck.AttestationReport)]
    [InlineData("x-nvidia-gpu-attestation-report-cert-chain-fwid-match", false, AppraisalCheck.AttestationReport)]
    [InlineData("x-nvidia-gpu-arch-check", false, AppraisalCheck.AttestationReport)]
    [InlineData("x-nvidia-gpu-driver-rim-fetched", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-driver-rim-schema-validated", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-driver-rim-signature-verified", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-driver-rim-version-match", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-driver-rim-measurements-available", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-vbios-rim-fetched", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-vbios-rim-schema-validated", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-vbios-rim-signature-verified", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-vbios-rim-version-match", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-gpu-vbios-rim-measurements-available", false, AppraisalCheck.ReferenceManifest)]
    [InlineData("x-nvidia-attestation-warning", "RIM service unreachable: cached manifest used", AppraisalCheck.AttestationWarning)]
    [InlineData("x-nvidia-gpu-driver-version", "535.104.05", AppraisalCheck.MeasurementNotAllowed)]
    [InlineData("x-nvidia-gpu-vbios-version", "96.00.74.00.1C", AppraisalCheck.MeasurementNotAllowed)]
    [InlineData("hwmodel", "GB100 A01 GSP BROM", AppraisalCheck.MissingReferenceValue)]
    public async Task One_gpu_with_one_failing_claim_refuses_the_node(string claim, object value, AppraisalCheck check)
    {
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(Bundle(challenge, gpu3: gpu => gpu[claim] = JsonValue.Create(value)), challenge);

        AssertRefused(verdict, check);
        Assert.Contains("0003", verdict.Detail, StringComparison.Ordinal); // the GPU is named
    }

    [Theory]
    [InlineData("x-nvidia-gpu-attestation-report-cert-chain", "x-nvidia-cert-ocsp-status", "revoked")]
    [InlineData("x-nvidia-gpu-attestation-report-cert-chain", "x-nvidia-cert-status", "expired")]
    [InlineData("x-nvidia-gpu-driver-rim-cert-chain", "x-nvidia-cert-ocsp-status", "unknown")]
    [InlineData("x-nvidia-gpu-driver-rim-cert-chain", "x-nvidia-cert-status", "revoked")]
    [InlineData("x-nvidia-gpu-vbios-rim-cert-chain", "x-nvidia-cert-ocsp-status", "revoked")]
    [InlineData("x-nvidia-gpu-vbios-rim-cert-chain", "x-nvidia-cert-status", "invalid")]
    public async Task A_certificate_chain_that_is_not_valid_with_ocsp_good_is_refused(string chain, string claim, string value)
    {
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(Bundle(challenge, gpu3: gpu =>
        {
            gpu[chain]![claim] = value;
            gpu[chain]!["x-nvidia-cert-revocation-reason"] = "keyCompromise";
        }), challenge);

        AssertRefused(verdict, AppraisalCheck.CertificateStatus);
    }

    [Fact]
    public async Task A_certificate_on_hold_is_refused_by_default_and_accepted_only_when_configured()
    {
        var challenge = _bench.Nonce();
        var onHold = Bundle(challenge, gpu3: gpu =>
        {
            gpu["x-nvidia-gpu-vbios-rim-cert-chain"]!["x-nvidia-cert-ocsp-status"] = "revoked";
            gpu["x-nvidia-gpu-vbios-rim-cert-chain"]!["x-nvidia-cert-revocation-reason"] = "certificateHold";
            gpu["x-nvidia-attestation-warning"] = "CERT_HOLD: the VBIOS RIM certificate is on hold";
        });

        AssertRefused(await JudgeAsync(onHold, challenge), AppraisalCheck.AttestationWarning);
        var second = _bench.Nonce();
        var accepted = await JudgeAsync(Bundle(second, gpu3: gpu =>
        {
            gpu["x-nvidia-gpu-vbios-rim-cert-chain"]!["x-nvidia-cert-ocsp-status"] = "revoked";
            gpu["x-nvidia-gpu-vbios-rim-cert-chain"]!["x-nvidia-cert-revocation-reason"] = "certificateHold";
            gpu["x-nvidia-attestation-warning"] = "CERT_HOLD: the VBIOS RIM certificate is on hold";
        }), second, allowCertHold: true);
        Assert.True(accepted.Passed, accepted.Detail);
    }

    [Fact]
    public async Task A_detached_token_that_does_not_match_its_digest_is_refused_unbound()
    {
        var challenge = _bench.Nonce();
        var devices = Gpus(challenge, 8);
        var detached = devices.ToDictionary(d => d.Name, d => _bench.Nras.Sign(d.Claims));
        var overall = _bench.Nras.Sign(VerifierResultShapes.NvidiaOverall(NvidiaNonce(challenge), detached, Now));
        devices[2].Claims["measres"] = "success"; // re-signed: a different valid token than the one committed to
        devices[2].Claims["jti"] = "swapped";
        detached["GPU-2"] = _bench.Nras.Sign(devices[2].Claims);

        AssertRefused(await JudgeAsync(SimulatedVerifier.Bundle(overall, detached), challenge), AppraisalCheck.DetachedClaims, bound: false);
    }

    [Fact]
    public async Task A_detached_token_the_overall_token_does_not_commit_to_is_refused()
    {
        var challenge = _bench.Nonce();
        var devices = Gpus(challenge, 8);
        var detached = devices.Take(7).ToDictionary(d => d.Name, d => _bench.Nras.Sign(d.Claims));
        var overall = _bench.Nras.Sign(VerifierResultShapes.NvidiaOverall(NvidiaNonce(challenge), detached, Now));
        detached["GPU-7"] = _bench.Nras.Sign(devices[7].Claims);

        AssertRefused(await JudgeAsync(SimulatedVerifier.Bundle(overall, detached), challenge), AppraisalCheck.DetachedClaims, bound: false);
    }

    [Fact]
    public async Task A_bundle_answering_another_challenge_is_unbound_and_says_nothing_about_the_node()
    {
        var old = _bench.Nonce();
        var outstanding = _bench.Nonce();

        AssertRefused(await JudgeAsync(Bundle(old, overall: o => o["x-nvidia-overall-att-result"] = false), outstanding), AppraisalCheck.NonceReused, bound: false);
    }

    [Fact]
    public async Task A_device_answering_another_nonce_than_its_overall_token_is_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(Bundle(challenge, gpu3: gpu => gpu["eat_nonce"] = NvidiaNonce(_bench.Nonce())), challenge), AppraisalCheck.NonceMismatch, bound: false);
    }

    [Fact]
    public async Task Tokens_not_signed_es384_by_a_pinned_nvidia_key_are_refused()
    {
        var challenge = _bench.Nonce();
        using var impostor = SimulatedVerifier.CreateEcdsa(_bench.Nras.Issuer, _bench.Nras.KeyId);
        using var stranger = SimulatedVerifier.CreateEcdsa("https://verifier.example");
        using var rsa = SimulatedVerifier.CreateRsa(_bench.Nras.Issuer, _bench.Nras.KeyId);

        AssertRefused(await JudgeAsync(impostor.NvidiaBundle(NvidiaNonce(challenge), Gpus(challenge, 8), Now), challenge), AppraisalCheck.Signature, bound: false);
        AssertRefused(await JudgeAsync(stranger.NvidiaBundle(NvidiaNonce(challenge), Gpus(challenge, 8), Now), challenge), AppraisalCheck.Issuer, bound: false);
        AssertRefused(await JudgeAsync(rsa.NvidiaBundle(NvidiaNonce(challenge), Gpus(challenge, 8), Now), challenge), AppraisalCheck.Algorithm, bound: false);
    }

    [Fact]
    public async Task An_expired_device_token_is_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(Bundle(challenge, gpu3: gpu => gpu["exp"] = Now.AddMinutes(-5).ToUnixTimeSeconds()), challenge), AppraisalCheck.TokenExpired, bound: false);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"a\": 1}")]
    [InlineData("[[\"JWT\", 5], {}]")]
    [InlineData("[[\"JWT\", \"a.b.c\"], {\"GPU-0\": 7}]")]
    [InlineData("not json")]
    public async Task Junk_is_malformed_evidence(string junk)
    {
        AssertRefused(await JudgeAsync(junk, _bench.Nonce()), AppraisalCheck.MalformedEvidence, bound: false);
    }

    [Fact]
    public async Task Switches_of_a_ppcie_system_are_optional_components_appraised_when_present()
    {
        var challenge = _bench.Nonce();
        JsonObject Switch(int i) => VerifierResultShapes.NvidiaSwitch($"switch-{i}", NvidiaNonce(challenge), SwitchBios, Now);
        var switches = _bench.Nras.NvidiaBundle(NvidiaNonce(challenge), [("SWITCH-0", Switch(0)), ("SWITCH-1", Switch(1))], Now);
        var gpus = Bundle(challenge);
        var both = $"[{gpus},{switches}]";

        var verdict = await JudgeAsync(both, challenge);
        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Equal(2, verdict.Evidence!.Components.Count(c => c.Kind == "switch"));
        Assert.Equal(8, verdict.Evidence.GpuCount);

        var next = _bench.Nonce();
        var failing = Switch(1);
        failing["eat_nonce"] = NvidiaNonce(next);
        failing["measres"] = "failure";
        var badSwitches = _bench.Nras.NvidiaBundle(NvidiaNonce(next), [("SWITCH-1", failing)], Now);
        AssertRefused(await JudgeAsync($"[{Bundle(next)},{badSwitches}]", next), AppraisalCheck.VerifierResult);
    }
}
