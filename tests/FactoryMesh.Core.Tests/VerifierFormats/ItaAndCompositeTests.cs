using System.Text.Json.Nodes;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using static FactoryMesh.Core.Tests.VerifierFormats.VerifierFormatBench;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Tests.VerifierFormats;

/// <summary>
/// Intel Trust Authority tokens (TDX alone, and the composite tdx+nvgpu form) and composite evidence: a node is
/// trusted only when its CPU TEE and every registered GPU are appraised.
/// </summary>
public sealed class ItaAndCompositeTests : IDisposable
{
    private readonly VerifierFormatBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private JsonObject Ita(string challenge, int gpus = 1, Action<JsonObject>? tdx = null, Action<JsonObject>? gpu0 = null)
    {
        var gpuClaims = Enumerable.Range(0, gpus)
            .Select(i => VerifierResultShapes.NvidiaGpu($"ita-gpu-{i}", NvidiaNonce(challenge), "GH100 A01 GSP BROM", Driver, Vbios, Now))
            .ToList();
        if (gpuClaims.Count > 0)
        {
            gpu0?.Invoke(gpuClaims[0]);
        }

        var token = VerifierResultShapes.Ita(challenge, _bench.TeeJwk, TdMeasurements, Now, gpus == 0 ? null : gpuClaims);
        tdx?.Invoke(gpus == 0 ? token : token["tdx"]!.AsObject());
        return token;
    }

    private Task<AttestationVerdict> JudgeAsync(string format, string evidence, string challenge, int gpus = 1, Attestor? attestor = null) =>
        _bench.JudgeAsync(format, evidence, challenge, gpus, attestor: attestor);

    [Fact]
    public async Task A_composite_tdx_and_nvgpu_token_passes_with_the_key_from_the_runtime_data()
    {
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(EvidenceFormats.ItaJwt, _bench.Ita.Sign(Ita(challenge)), challenge);

        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Equal("TDX", verdict.Evidence!.TeeKind);
        Assert.Equal(["cpu", "gpu"], verdict.Evidence.Components.Select(c => c.Kind));
        Assert.Contains(_bench.TeeJwk["x"]!.GetValue<string>(), verdict.Evidence.TeePublicKeyJwk, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("attester_tcb_status", "OutOfDate", AppraisalCheck.TcbStatus)]
    [InlineData("attester_tcb_status", "SWHardeningNeeded", AppraisalCheck.TcbStatus)]
    [InlineData("tdx_is_debuggable", true, AppraisalCheck.DebugEnabled)]
    [InlineData("dbgstat", "enabled", AppraisalCheck.DebugEnabled)]
    [InlineData("tdx_mrtd", "bb", AppraisalCheck.MeasurementNotAllowed)]
    [InlineData("tdx_rtmr2", "cc", AppraisalCheck.MeasurementNotAllowed)]
    public async Task A_failing_tdx_claim_is_refused(string claim, object value, AppraisalCheck check)
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(EvidenceFormats.ItaJwt, _bench.Ita.Sign(Ita(challenge, tdx: t => t[claim] = JsonValue.Create(value))), challenge), check);
    }

    [Fact]
    public async Task A_tdx_part_without_a_tcb_status_is_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(EvidenceFormats.ItaJwt, _bench.Ita.Sign(Ita(challenge, tdx: t => t.Remove("attester_tcb_status"))), challenge), AppraisalCheck.TcbStatus);
    }

    [Fact]
    public async Task A_tcb_status_the_class_allows_passes()
    {
        var policy = PolicyJson.Replace("\"allowedTcbStatuses\": [\"UpToDate\"]", "\"allowedTcbStatuses\": [\"UpToDate\", \"SWHardeningNeeded\"]", StringComparison.Ordinal);
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(EvidenceFormats.ItaJwt, _bench.Ita.Sign(Ita(challenge, tdx: t => t["attester_tcb_status"] = "SWHardeningNeeded")), challenge, attestor: _bench.Attestor(policy));

        Assert.True(verdict.Passed, verdict.Detail);
    }

    [Fact]
    public async Task The_gpu_part_of_a_composite_ita_token_is_appraised_as_nvidia_claims()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(EvidenceFormats.ItaJwt, _bench.Ita.Sign(Ita(challenge, gpu0: g => g["measres"] = "failure")), challenge), AppraisalCheck.VerifierResult);
    }

    [Fact]
    public async Task An_ita_token_for_another_challenge_is_unbound()
    {
        AssertRefused(await JudgeAsync(EvidenceFormats.ItaJwt, _bench.Ita.Sign(Ita(_bench.Nonce())), _bench.Nonce()), AppraisalCheck.NonceReused, bound: false);
    }

    [Fact]
    public async Task A_tdx_token_alone_does_not_trust_a_node_with_gpus()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(EvidenceFormats.ItaJwt, _bench.Ita.Sign(Ita(challenge, gpus: 0)), challenge, gpus: 8), AppraisalCheck.GpuInventoryMismatch);
    }

    [Fact]
    public async Task A_nvidia_bundle_alone_does_not_trust_a_node_whose_policy_requires_its_cpu_tee()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(EvidenceFormats.NvidiaEat, _bench.Nras.NvidiaBundle(NvidiaNonce(challenge), Gpus(challenge, 8), Now), challenge, gpus: 8), AppraisalCheck.MeasurementMissing);
    }

    [Fact]
    public async Task A_tdx_token_and_an_nvidia_bundle_together_trust_the_node()
    {
        var challenge = _bench.Nonce();
        var composite = Composite(
            (EvidenceFormats.ItaJwt, JsonValue.Create(_bench.Ita.Sign(Ita(challenge, gpus: 0)))),
            (EvidenceFormats.NvidiaEat, JsonNode.Parse(_bench.Nras.NvidiaBundle(NvidiaNonce(challenge), Gpus(challenge, 8), Now))!));

        var verdict = await JudgeAsync(EvidenceFormats.Composite, composite, challenge, gpus: 8);

        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Equal(9, verdict.Evidence!.Components.Count);
        Assert.NotNull(verdict.Evidence.TeePublicKeyJwk);
    }

    [Fact]
    public async Task Composite_parts_answering_different_challenges_are_refused()
    {
        var challenge = _bench.Nonce();
        var other = _bench.Nonce();
        var composite = Composite(
            (EvidenceFormats.ItaJwt, JsonValue.Create(_bench.Ita.Sign(Ita(challenge, gpus: 0)))),
            (EvidenceFormats.NvidiaEat, JsonNode.Parse(_bench.Nras.NvidiaBundle(NvidiaNonce(other), Gpus(other, 8), Now))!));

        AssertRefused(await JudgeAsync(EvidenceFormats.Composite, composite, challenge, gpus: 8), AppraisalCheck.NonceMismatch, bound: false);
    }

    [Fact]
    public async Task Gpus_attested_by_two_parts_count_twice_and_fail_the_inventory()
    {
        var challenge = _bench.Nonce();
        var composite = Composite(
            (EvidenceFormats.ItaJwt, JsonValue.Create(_bench.Ita.Sign(Ita(challenge, gpus: 1)))),
            (EvidenceFormats.NvidiaEat, JsonNode.Parse(_bench.Nras.NvidiaBundle(NvidiaNonce(challenge), Gpus(challenge, 1), Now))!));

        AssertRefused(await JudgeAsync(EvidenceFormats.Composite, composite, challenge, gpus: 1), AppraisalCheck.GpuInventoryMismatch);
    }

    [Fact]
    public async Task A_composite_naming_an_unknown_or_nested_format_is_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(EvidenceFormats.Composite, Composite(("tpm-quote", JsonValue.Create("x"))), challenge), AppraisalCheck.UnknownFormat, bound: false);
        AssertRefused(await JudgeAsync(EvidenceFormats.Composite, Composite((EvidenceFormats.Composite, new JsonObject { ["parts"] = new JsonArray() })), challenge), AppraisalCheck.UnknownFormat, bound: false);
    }

    private static string Composite(params (string Format, JsonNode Evidence)[] parts) =>
        new JsonObject { ["parts"] = new JsonArray([.. parts.Select(p => new JsonObject { ["format"] = p.Format, ["evidence"] = p.Evidence })]) }.ToJsonString();
}
