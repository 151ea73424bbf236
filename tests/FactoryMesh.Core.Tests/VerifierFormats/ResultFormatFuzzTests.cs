using System.Text.Json.Nodes;
using CsCheck;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using FactoryMesh.Testing;
using static FactoryMesh.Core.Tests.VerifierFormats.VerifierFormatBench;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Tests.VerifierFormats;

/// <summary>
/// Hostile input at the verifiers of real verifiers' results: random text and JOSE-shaped tokens in every format, JSON
/// of every shape where bundles and composites are JSON, and claims of every shape signed by a trusted verifier's own
/// key inside a well-formed bundle or token. Always an answer naming a check, never an exception, never a pass, fast.
/// </summary>
public sealed class ResultFormatFuzzTests : IDisposable
{
    private const int Cases = 3_000;
    private static readonly TimeSpan Slowest = TimeSpan.FromSeconds(2);
    private readonly VerifierFormatBench _bench = new();
    private readonly Attestor _attestor;

    public ResultFormatFuzzTests() => _attestor = _bench.Attestor();

    public void Dispose() => _bench.Dispose();

    [Fact]
    public async Task Random_jose_and_json_shaped_evidence_in_every_format_is_refused_unbound()
    {
        var formats = Gen.OneOf<string>(EvidenceFormats.NvidiaEat, EvidenceFormats.EarJwt, EvidenceFormats.ItaJwt, EvidenceFormats.Composite);
        var json = Gen.OneOf(
            HostileInput.Json("parts", "format", "evidence", "JWT", "GPU-0", "submods"),
            HostileInput.Text.Select(t => $"[[\"JWT\", \"{t.Replace("\"", string.Empty, StringComparison.Ordinal)}\"], {{\"GPU-0\": \"a.b.c\"}}]"),
            HostileInput.Jose.Select(t => new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["format"] = EvidenceFormats.ItaJwt, ["evidence"] = t }) }.ToJsonString()));
        await Gen.Select(formats, Gen.Frequency((1, HostileInput.Text), (2, HostileInput.Jose), (2, json))).SampleAsync(async (format, evidence) =>
        {
            var verdict = await JudgeWithinAsync(format, evidence, _bench.Nonce());
            Assert.False(verdict.Passed);
            Assert.False(verdict.Bound);
            Assert.NotEqual(AppraisalCheck.None, verdict.FailedCheck);
        }, iter: Cases, threads: 2);
    }

    [Fact]
    public async Task Claims_of_every_shape_signed_by_a_trusted_verifier_never_pass_and_never_throw()
    {
        var payloads = HostileInput.Json(
            "eat_nonce", "submods", "measres", "secboot", "dbgstat", "hwmodel", "ueid", "ear.status", "ear.trustworthiness-vector",
            "eat_profile", "tdx", "nvgpu", "attester_type", "attester_tcb_status", "attester_runtime_data", "x-nvidia-overall-att-result", "exp", "iat");
        var shapes = Gen.Int[0, 2];
        await Gen.Select(payloads, shapes).SampleAsync(async (payload, shape) =>
        {
            // Past the lifetime check, into the claims: a verifier's key signs the text as it is.
            var claims = payload.StartsWith('{') ? $"{{\"exp\":{Now.AddMinutes(5).ToUnixTimeSeconds()},{payload[1..]}" : payload;
            claims = claims.Replace(",}", "}", StringComparison.Ordinal);
            var challenge = _bench.Nonce();
            var (format, evidence) = shape switch
            {
                0 => (EvidenceFormats.NvidiaEat, Bundle(challenge, _bench.Nras.SignRaw(claims))),
                1 => (EvidenceFormats.EarJwt, _bench.Trustee.SignRaw(claims)),
                _ => (EvidenceFormats.ItaJwt, _bench.Ita.SignRaw(claims)),
            };
            var verdict = await JudgeWithinAsync(format, evidence, challenge);
            Assert.False(verdict.Passed, payload);
        }, iter: Cases, threads: 2);
    }

    private string Bundle(string challenge, string device)
    {
        var detached = new Dictionary<string, string> { ["GPU-0"] = device };
        return SimulatedVerifier.Bundle(_bench.Nras.Sign(VerifierResultShapes.NvidiaOverall(NvidiaNonce(challenge), detached, Now)), detached);
    }

    private async Task<AttestationVerdict> JudgeWithinAsync(string format, string evidence, string challenge)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var verdict = await _bench.JudgeAsync(format, evidence, challenge, gpus: 8, attestor: _attestor);
        Assert.True(started.Elapsed < Slowest, $"judging took {started.Elapsed}");
        return verdict;
    }
}
