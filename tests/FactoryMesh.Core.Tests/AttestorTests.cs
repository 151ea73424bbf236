using System.Security.Cryptography;
using System.Text;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using Microsoft.IdentityModel.Tokens;
using static FactoryMesh.Core.Tests.AttestationBench;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Tests;

public sealed class AttestorTests : IDisposable
{
    private readonly AttestationBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private async Task<AttestationVerdict> SimAsync(SimulatedEvidence evidence, string? outstanding = null, SimulatedTeeDevice? device = null, string teeKind = "SIM", IReadOnlySet<string>? revoked = null) =>
        await _bench.JudgeAsync(EvidenceFormats.SimulatedJws, (device ?? _bench.Device).CreateEvidence(evidence), outstanding ?? evidence.Nonce, teeKind, revoked);

    private static void AssertFails(AttestationVerdict verdict, AppraisalCheck check)
    {
        Assert.False(verdict.Passed, "expected a rejection");
        Assert.Equal(check, verdict.FailedCheck);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Detail));
    }

    [Fact]
    public async Task Valid_simulated_evidence_passes_and_binds_the_tee_key_and_device_certificate()
    {
        var verdict = await SimAsync(Evidence(_bench.Nonce()));

        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Equal(3, verdict.Evidence!.Components.Count);
        Assert.Contains("\"P-384\"", verdict.Evidence.TeePublicKeyJwk, StringComparison.Ordinal);
        Assert.Equal(_bench.Device.DeviceThumbprint, verdict.Evidence.CertificateThumbprints[0]);
        Assert.Equal(_bench.Policy.Version, verdict.PolicyVersion);
        Assert.Equal(64, verdict.EvidenceSha256.Length);
    }

    [Fact]
    public async Task A_tampered_payload_fails_the_signature()
    {
        var token = _bench.Device.CreateEvidence(Evidence(_bench.Nonce()));
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"debug\":true", "\"debug\":false", StringComparison.Ordinal).Replace("GPU-0002", "GPU-0003", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        AssertFails(await _bench.JudgeAsync(EvidenceFormats.SimulatedJws, tampered, null), AppraisalCheck.Signature);
    }

    [Fact]
    public async Task A_device_of_an_unknown_vendor_fails_the_chain()
    {
        using var rogue = SimulatedVendorCa.Create("Rogue Root", Now.AddYears(-1), Now.AddYears(1));
        using var device = rogue.IssueDevice("node-1", Now.AddDays(-1), Now.AddYears(1));

        AssertFails(await SimAsync(Evidence(_bench.Nonce()), device: device), AppraisalCheck.CertificateChain);
    }

    [Fact]
    public async Task An_expired_device_certificate_is_refused()
    {
        using var device = _bench.Vendor.IssueDevice("node-1", Now.AddMonths(-6), Now.AddDays(-1));

        AssertFails(await SimAsync(Evidence(_bench.Nonce()), device: device), AppraisalCheck.CertificateExpired);
    }

    [Fact]
    public async Task A_revoked_device_certificate_is_refused()
    {
        var revoked = new HashSet<string> { _bench.Device.DeviceThumbprint };

        AssertFails(await SimAsync(Evidence(_bench.Nonce()), revoked: revoked), AppraisalCheck.CertificateRevoked);
    }

    [Fact]
    public async Task Evidence_about_another_node_is_refused()
    {
        AssertFails(await SimAsync(Evidence(_bench.Nonce(), nodeId: "eu-fra-1/node-2")), AppraisalCheck.NodeMismatch);
    }

    [Fact]
    public async Task Nonces_must_be_ours_this_nodes_unexpired_and_the_outstanding_one()
    {
        var forged = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(64));
        AssertFails(await SimAsync(Evidence(forged)), AppraisalCheck.NonceForged);

        AssertFails(await SimAsync(Evidence(_bench.Nonce("eu-fra-1/node-2"))), AppraisalCheck.NonceOfAnotherNode);

        AssertFails(await SimAsync(Evidence(_bench.Nonces.Issue(NodeId, Now))), AppraisalCheck.NonceExpired);

        var used = _bench.Nonce();
        AssertFails(await SimAsync(Evidence(used), outstanding: _bench.Nonce()), AppraisalCheck.NonceReused);
        AssertFails(await _bench.JudgeAsync(EvidenceFormats.SimulatedJws, _bench.Device.CreateEvidence(Evidence(used)), outstanding: null), AppraisalCheck.NonceReused);
    }

    [Fact]
    public async Task A_gpu_answering_a_nonce_not_derived_from_the_challenge_fails_the_node()
    {
        var nonce = _bench.Nonce();
        var evidence = Evidence(nonce) with { Gpus = [new SimulatedGpu("GPU-0001", GpuMeasurements), new SimulatedGpu("GPU-0002", GpuMeasurements, NonceOverride: SimulatedTeeDevice.GpuNonce(_bench.Nonce(), "GPU-0002"))] };

        AssertFails(await SimAsync(evidence), AppraisalCheck.NonceMismatch);
    }

    [Fact]
    public async Task One_gpu_with_a_measurement_outside_the_reference_values_fails_the_node()
    {
        var bad = new Dictionary<string, string>(GpuMeasurements) { ["vbios"] = "00.00.00.00.00" };
        var evidence = Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", GpuMeasurements), new SimulatedGpu("GPU-0002", bad)] };

        var verdict = await SimAsync(evidence);

        AssertFails(verdict, AppraisalCheck.MeasurementNotAllowed);
        Assert.Contains("GPU-0002", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_reference_value_and_an_unknown_measurement_fail_closed()
    {
        var old = new Dictionary<string, string>(GpuMeasurements) { ["firmware"] = "95.00.00.00.01" };
        AssertFails(await SimAsync(Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", old), new SimulatedGpu("GPU-0002", GpuMeasurements)] }), AppraisalCheck.ReferenceValueExpired);

        var extra = new Dictionary<string, string>(GpuMeasurements) { ["microcode"] = "1" };
        AssertFails(await SimAsync(Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", extra), new SimulatedGpu("GPU-0002", GpuMeasurements)] }), AppraisalCheck.MissingReferenceValue);
    }

    [Fact]
    public async Task Debug_on_or_cc_mode_off_fails()
    {
        AssertFails(await SimAsync(Evidence(_bench.Nonce()) with { CpuDebug = true }), AppraisalCheck.DebugEnabled);
        AssertFails(await SimAsync(Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", GpuMeasurements, Debug: true), new SimulatedGpu("GPU-0002", GpuMeasurements)] }), AppraisalCheck.DebugEnabled);
        AssertFails(await SimAsync(Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", GpuMeasurements, CcModeOn: false), new SimulatedGpu("GPU-0002", GpuMeasurements)] }), AppraisalCheck.CcModeOff);
    }

    [Fact]
    public async Task A_tee_kind_other_than_the_registered_one_is_refused()
    {
        AssertFails(await SimAsync(Evidence(_bench.Nonce()), teeKind: "TDX"), AppraisalCheck.TeeKindNotAllowed);
        AssertFails(await SimAsync(Evidence(_bench.Nonce()) with { TeeKind = "CCA" }, teeKind: "CCA"), AppraisalCheck.TeeKindNotAllowed);
    }

    [Fact]
    public async Task Simulated_evidence_signed_with_another_algorithm_is_refused()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode($$"""{"nodeId":"{{NodeId}}","nonce":"{{_bench.Nonce()}}"}""");

        AssertFails(await _bench.JudgeAsync(EvidenceFormats.SimulatedJws, $"{header}.{payload}.", null), AppraisalCheck.Algorithm);
    }

    [Fact]
    public async Task Unknown_formats_unconfigured_verifiers_and_missing_reference_values_fail_closed()
    {
        AssertFails(await _bench.JudgeAsync("tpm-quote", "x", null), AppraisalCheck.UnknownFormat);

        var bare = new Attestor([], AppraisalPolicy.None, new HashSet<string> { "SIM" }, _bench.Nonces);
        AssertFails(await bare.JudgeAsync(new AttestationRequest(NodeId, "SIM", 2, EvidenceFormats.SimulatedJws, "a.b.c", null, new HashSet<string>(), Now)), AppraisalCheck.NoVerifierConfigured);

        var noRoots = new Attestor([new SimulatedTeeVerifier([], new CertificateChainCache())], AppraisalPolicy.None, new HashSet<string> { "SIM" }, _bench.Nonces);
        var nonce = _bench.Nonce();
        AssertFails(await noRoots.JudgeAsync(new AttestationRequest(NodeId, "SIM", 2, EvidenceFormats.SimulatedJws, _bench.Device.CreateEvidence(Evidence(nonce)), nonce, new HashSet<string>(), Now)), AppraisalCheck.NoVerifierConfigured);

        var noValues = new Attestor([new SimulatedTeeVerifier([System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(_bench.Vendor.Certificate.RawData)], new CertificateChainCache())], AppraisalPolicy.None, new HashSet<string> { "SIM" }, _bench.Nonces);
        AssertFails(await noValues.JudgeAsync(new AttestationRequest(NodeId, "SIM", 2, EvidenceFormats.SimulatedJws, _bench.Device.CreateEvidence(Evidence(nonce)), nonce, new HashSet<string>(), Now)), AppraisalCheck.MissingReferenceValue);
    }

    [Fact]
    public async Task Garbage_evidence_is_malformed_not_an_exception()
    {
        AssertFails(await _bench.JudgeAsync(EvidenceFormats.SimulatedJws, "not a token", null), AppraisalCheck.MalformedEvidence);
        AssertFails(await _bench.JudgeAsync(EvidenceFormats.EatJwt, "x.y.z", null), AppraisalCheck.MalformedEvidence);
        AssertFails(await _bench.JudgeAsync(EvidenceFormats.SimulatedJws, _bench.Device.Sign("""{"nodeId":"eu-fra-1/node-1"}"""), null), AppraisalCheck.MalformedEvidence);
    }

    [Fact]
    public async Task A_validated_chain_is_cached_so_reattestation_costs_one_signature_check()
    {
        var cache = new CertificateChainCache(capacity: 2);
        var verifier = new SimulatedTeeVerifier([System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(_bench.Vendor.Certificate.RawData)], cache);

        Assert.Null((await verifier.VerifyAsync(_bench.Device.CreateEvidence(Evidence(_bench.Nonce())), Now)).Evidence is null ? "failed" : null);
        Assert.Equal(1, cache.Count);
        Assert.NotNull((await verifier.VerifyAsync(_bench.Device.CreateEvidence(Evidence(_bench.Nonce())), Now)).Evidence);
        Assert.Equal(1, cache.Count);
        Assert.Equal(AppraisalCheck.CertificateExpired, (await verifier.VerifyAsync(_bench.Device.CreateEvidence(Evidence(_bench.Nonce())), Now.AddYears(2))).FailedCheck);
    }

    [Fact]
    public async Task A_valid_eat_token_passes_and_its_expiry_and_tee_key_are_kept()
    {
        var nonce = _bench.Nonce();
        var verdict = await _bench.JudgeAsync(EvidenceFormats.EatJwt, _bench.EatToken(_bench.EatClaims(nonce)), nonce, teeKind: "TDX");

        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Equal(Now.AddMinutes(5), verdict.Evidence!.ExpiresAt);
        Assert.NotNull(verdict.Evidence.TeePublicKeyJwk);
    }

    [Fact]
    public async Task Eat_tokens_are_refused_for_each_broken_rule_with_its_own_reason()
    {
        async Task Expect(AppraisalCheck check, Action<Dictionary<string, object>> change, ECDsa? key = null, string kid = "verifier-1")
        {
            var nonce = _bench.Nonce();
            var claims = _bench.EatClaims(nonce);
            change(claims);
            AssertFails(await _bench.JudgeAsync(EvidenceFormats.EatJwt, _bench.EatToken(claims, key, kid), nonce, teeKind: "TDX"), check);
        }

        await Expect(AppraisalCheck.TokenExpired, c => c["exp"] = Now.AddMinutes(-2).ToUnixTimeSeconds());
        await Expect(AppraisalCheck.TokenNotYetValid, c => c["nbf"] = Now.AddMinutes(5).ToUnixTimeSeconds());
        await Expect(AppraisalCheck.Issuer, c => c["iss"] = "https://evil.example");
        await Expect(AppraisalCheck.Audience, c => c["aud"] = "someone-else");
        await Expect(AppraisalCheck.ClaimMismatch, c => c["x-nvidia-overall-att-result"] = false);
        await Expect(AppraisalCheck.CcModeOff, c => c["x-nvidia-cc-mode"] = "off");
        await Expect(AppraisalCheck.CcModeOff, c => c.Remove("x-nvidia-cc-mode"));
        await Expect(AppraisalCheck.DebugEnabled, c => c["dbgstat"] = 0);
        await Expect(AppraisalCheck.MeasurementNotAllowed, c => c["measurements"] = System.Text.Json.JsonDocument.Parse("""{"gpu": {"driver": "470.00"}}""").RootElement);
        await Expect(AppraisalCheck.GpuInventoryMismatch, c => c["gpu_count"] = RegisteredGpus - 1);
        await Expect(AppraisalCheck.GpuInventoryMismatch, c => c.Remove("gpu_count"));
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        await Expect(AppraisalCheck.UnknownKey, _ => { }, stranger, kid: "not-in-jwks");
        await Expect(AppraisalCheck.Signature, _ => { }, stranger);
    }

    [Fact]
    public async Task An_unsigned_eat_token_is_refused_for_its_algorithm()
    {
        var nonce = _bench.Nonce();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(_bench.EatClaims(nonce)));

        AssertFails(await _bench.JudgeAsync(EvidenceFormats.EatJwt, $"{header}.{payload}.", nonce, teeKind: "TDX"), AppraisalCheck.Algorithm);
    }

    [Fact]
    public async Task An_eat_token_without_a_tee_key_passes_but_binds_no_key()
    {
        var nonce = _bench.Nonce();
        var claims = _bench.EatClaims(nonce);
        claims.Remove("tee_pubkey");

        var verdict = await _bench.JudgeAsync(EvidenceFormats.EatJwt, _bench.EatToken(claims), nonce, teeKind: "TDX");

        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Null(verdict.Evidence!.TeePublicKeyJwk);
    }

    [Fact]
    public async Task An_eat_token_stating_no_measurements_fails_where_reference_values_name_components()
    {
        var nonce = _bench.Nonce();
        var claims = _bench.EatClaims(nonce);
        claims.Remove("measurements");
        AssertFails(await _bench.JudgeAsync(EvidenceFormats.EatJwt, _bench.EatToken(claims), nonce, teeKind: "TDX"), AppraisalCheck.MeasurementMissing);

        nonce = _bench.Nonce();
        claims = _bench.EatClaims(nonce);
        claims["measurements"] = System.Text.Json.JsonDocument.Parse("""{"cpu": {"mrtd": "a1b2c3"}, "gpu": {"firmware": "96.00.5E.00.01", "driver": "550.54.15", "vbios": "96.00.88.00.11"}}""").RootElement;
        AssertFails(await _bench.JudgeAsync(EvidenceFormats.EatJwt, _bench.EatToken(claims), nonce, teeKind: "TDX"), AppraisalCheck.MeasurementMissing);
    }

    [Fact]
    public async Task Simulated_evidence_omitting_a_named_measurement_fails()
    {
        var partial = new Dictionary<string, string>(GpuMeasurements);
        partial.Remove("vbios");

        AssertFails(await SimAsync(Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", GpuMeasurements), new SimulatedGpu("GPU-0002", partial)] }), AppraisalCheck.MeasurementMissing);
    }

    [Fact]
    public async Task Evidence_must_attest_exactly_the_registered_gpus()
    {
        AssertFails(await JudgeWithGpusAsync(64), AppraisalCheck.GpuInventoryMismatch);
        AssertFails(await JudgeWithGpusAsync(1), AppraisalCheck.GpuInventoryMismatch);
        Assert.True((await JudgeWithGpusAsync(RegisteredGpus)).Passed);

        async Task<AttestationVerdict> JudgeWithGpusAsync(int registered)
        {
            var evidence = Evidence(_bench.Nonce());
            return await _bench.JudgeAsync(EvidenceFormats.SimulatedJws, _bench.Device.CreateEvidence(evidence), evidence.Nonce, registeredGpus: registered);
        }
    }

    [Fact]
    public async Task A_gpu_attested_twice_is_malformed()
    {
        var evidence = Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", GpuMeasurements), new SimulatedGpu("GPU-0001", GpuMeasurements)] };

        AssertFails(await SimAsync(evidence), AppraisalCheck.MalformedEvidence);
    }

    [Fact]
    public async Task A_certificate_of_the_vendor_not_issued_for_attestation_cannot_sign_evidence()
    {
        using var tlsServer = _bench.Vendor.IssueDevice("node-1", Now.AddDays(-1), Now.AddYears(1), "1.3.6.1.5.5.7.3.1");
        using var noUsage = _bench.Vendor.IssueDevice("node-1", Now.AddDays(-1), Now.AddYears(1), []);

        AssertFails(await SimAsync(Evidence(_bench.Nonce()), device: tlsServer), AppraisalCheck.CertificatePolicy);
        AssertFails(await SimAsync(Evidence(_bench.Nonce()), device: noUsage), AppraisalCheck.CertificatePolicy);
        Assert.Equal(SimulatedTeeVerifier.DeviceAttestationEku, SimulatedVendorCa.DeviceAttestationEku);
    }

    [Fact]
    public async Task Values_a_compromised_node_signs_reach_details_only_as_safe_capped_text()
    {
        const string Hostile = "\"><img src=x onerror=alert(1)>";
        var hostileMeasurements = new Dictionary<string, string>(GpuMeasurements) { ["driver"] = Hostile + new string('9', 500) };
        var evidence = Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu(Hostile, GpuMeasurements, Debug: true), new SimulatedGpu("GPU-0002", GpuMeasurements)] };
        var measured = Evidence(_bench.Nonce()) with { Gpus = [new SimulatedGpu("GPU-0001", hostileMeasurements), new SimulatedGpu("GPU-0002", GpuMeasurements)] };

        foreach (var verdict in new[] { await SimAsync(evidence), await SimAsync(measured) })
        {
            Assert.False(verdict.Passed);
            Assert.DoesNotContain('<', verdict.Detail);
            Assert.DoesNotContain('"', verdict.Detail);
            Assert.True(verdict.Detail.Length < 3 * EvidenceText.MaxLength + 80, verdict.Detail);
        }
    }

    [Fact]
    public void Nonces_carry_32_random_bytes_and_never_repeat()
    {
        var nonces = Enumerable.Range(0, 1000).Select(_ => _bench.Nonce()).ToHashSet();
        Assert.Equal(1000, nonces.Count);
        Assert.All(nonces, n => Assert.True(Base64UrlEncoder.DecodeBytes(n).Length >= NonceCodec.RandomBytes));
        Assert.DoesNotContain(nonces, n => n.Contains('+', StringComparison.Ordinal) || n.Contains('/', StringComparison.Ordinal));
        _ = Encoding.UTF8;
    }
}
