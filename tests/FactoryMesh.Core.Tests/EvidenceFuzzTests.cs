using CsCheck;
using FactoryMesh.Core.Attestation;
using FactoryMesh.Testing;
using static FactoryMesh.Core.Tests.AttestationBench;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Tests;

/// <summary>
/// Hostile evidence at the attestor, in both formats: random strings, JOSE-shaped tokens with every header trick, and
/// payloads of every shape signed by a genuine device (a compromised node signs whatever it likes). It must always
/// answer, never throw, never pass, and never take long.
/// </summary>
public sealed class EvidenceFuzzTests : IDisposable
{
    private const int Cases = 10_000;
    private static readonly TimeSpan Slowest = TimeSpan.FromSeconds(2);
    private readonly AttestationBench _bench = new();

    public void Dispose() => _bench.Dispose();

    [Fact]
    public async Task Random_and_jose_shaped_evidence_is_refused_with_a_named_check()
    {
        var formats = Gen.OneOf<string>(EvidenceFormats.SimulatedJws, EvidenceFormats.EatJwt, "", "tpm-quote", "SIM-JWS");
        await Gen.Select(formats, Gen.Frequency((1, HostileInput.Text), (3, HostileInput.Jose))).SampleAsync(async (format, evidence) =>
        {
            var verdict = await JudgeWithinAsync(format, evidence);
            Assert.False(verdict.Passed);
            Assert.False(verdict.Bound); // nothing here answers a challenge: no trust may move
            Assert.NotEqual(AppraisalCheck.None, verdict.FailedCheck);
        }, iter: Cases, threads: 2);
    }

    [Fact]
    public async Task Payloads_of_every_shape_signed_by_a_real_device_never_pass_and_never_throw()
    {
        var payloads = HostileInput.Json("nodeId", "nonce", "cpu", "gpus", "id", "measurements", "ccMode", "debug", "teeKind", "teePublicKey");
        await payloads.SampleAsync(async payload =>
        {
            var verdict = await JudgeWithinAsync(EvidenceFormats.SimulatedJws, _bench.Device.Sign(payload));
            Assert.False(verdict.Passed, payload);
        }, iter: Cases, threads: 2);
    }

    private async Task<AttestationVerdict> JudgeWithinAsync(string format, string evidence)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var verdict = await _bench.JudgeAsync(format, evidence, _bench.Nonce());
        Assert.True(started.Elapsed < Slowest, $"judging took {started.Elapsed}");
        return verdict;
    }
}
