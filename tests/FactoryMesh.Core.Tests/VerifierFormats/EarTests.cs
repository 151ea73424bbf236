using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static FactoryMesh.Core.Tests.VerifierFormats.VerifierFormatBench;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Tests.VerifierFormats;

/// <summary>Trustee's EAR tokens: one submodule per device, each affirming, trustworthiness judged per device class.</summary>
public sealed class EarTests : IDisposable
{
    private readonly VerifierFormatBench _bench = new();

    public void Dispose() => _bench.Dispose();

    private JsonObject Ear(string challenge, int gpus = 2, Action<Dictionary<string, JsonObject>>? change = null)
    {
        var submods = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            ["cpu0"] = VerifierResultShapes.EarSubmodule(new JsonObject { ["tdx"] = new JsonObject { ["quote"] = new JsonObject() } }, akpub: _bench.TeeSpki),
        };
        for (var i = 0; i < gpus; i++)
        {
            submods[$"gpu{i}"] = VerifierResultShapes.EarSubmodule();
        }

        change?.Invoke(submods);
        return VerifierResultShapes.Ear(challenge, [.. submods.Select(s => (s.Key, s.Value))], Now);
    }

    private Task<AttestationVerdict> JudgeAsync(string token, string challenge, int gpus = 2, string? policy = null, Attestor? attestor = null) =>
        _bench.JudgeAsync(EvidenceFormats.EarJwt, token, challenge, gpus, attestor: attestor ?? _bench.Attestor(policy ?? EarPolicyJson));

    [Fact]
    public async Task An_affirming_ear_for_the_cpu_and_every_gpu_passes_and_binds_the_attested_key()
    {
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(_bench.Trustee.Sign(Ear(challenge)), challenge);

        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Equal("TDX", verdict.Evidence!.TeeKind);
        Assert.Equal(2, verdict.Evidence.GpuCount);
        Assert.Contains(_bench.TeeJwk["x"]!.GetValue<string>(), verdict.Evidence.TeePublicKeyJwk, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("contraindicated")]
    [InlineData("none")]
    public async Task A_submodule_that_is_not_affirming_is_refused(string status)
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(_bench.Trustee.Sign(Ear(challenge, change: s => s["gpu1"]["ear.status"] = status)), challenge), AppraisalCheck.VerifierResult);
    }

    [Theory]
    [InlineData("instance-identity", 96)]
    [InlineData("configuration", 32)]
    [InlineData("executables", 33)]
    [InlineData("hardware", 0)]
    [InlineData("file-system", 96)]
    [InlineData("runtime-opaque", 99)]
    public async Task A_trustworthiness_claim_below_the_class_minimum_is_refused(string claim, int value)
    {
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(_bench.Trustee.Sign(Ear(challenge, change: s => s["gpu0"]["ear.trustworthiness-vector"]![claim] = value)), challenge);

        AssertRefused(verdict, claim == "configuration" ? AppraisalCheck.DebugEnabled : AppraisalCheck.TrustVector);
    }

    [Fact]
    public async Task A_required_claim_that_is_absent_is_refused()
    {
        var challenge = _bench.Nonce();

        AssertRefused(await JudgeAsync(_bench.Trustee.Sign(Ear(challenge, change: s => s["gpu0"]["ear.trustworthiness-vector"]!.AsObject().Remove("hardware"))), challenge), AppraisalCheck.TrustVector);
    }

    [Fact]
    public async Task A_class_may_accept_a_warning_tier_for_a_claim()
    {
        const string Lenient = """
            {"deviceClasses": {"cpu": {"kind": "cpu"}, "gpu": {"kind": "gpu", "trustVector": {"executables": "warning", "hardware": "affirming", "instance-identity": "affirming", "configuration": "affirming"}}}}
            """;
        var challenge = _bench.Nonce();

        var verdict = await JudgeAsync(_bench.Trustee.Sign(Ear(challenge, change: s => s["gpu0"]["ear.trustworthiness-vector"]!["executables"] = 33)), challenge, policy: Lenient);

        Assert.True(verdict.Passed, verdict.Detail);
    }

    [Fact]
    public async Task An_ear_for_fewer_gpus_than_registered_or_without_the_cpu_is_refused()
    {
        var challenge = _bench.Nonce();
        AssertRefused(await JudgeAsync(_bench.Trustee.Sign(Ear(challenge, gpus: 2)), challenge, gpus: 3), AppraisalCheck.GpuInventoryMismatch);

        var next = _bench.Nonce();
        AssertRefused(await JudgeAsync(_bench.Trustee.Sign(Ear(next, change: s => s.Remove("cpu0"))), next), AppraisalCheck.MeasurementMissing);
    }

    [Fact]
    public async Task A_token_without_the_ear_profile_is_malformed()
    {
        var challenge = _bench.Nonce();
        var claims = Ear(challenge);
        claims["eat_profile"] = "https://example.com/another-profile";

        AssertRefused(await JudgeAsync(_bench.Trustee.Sign(claims), challenge), AppraisalCheck.MalformedEvidence, bound: false);
    }

    [Fact]
    public async Task An_ear_signed_with_an_x5c_chain_is_trusted_through_the_configured_root_only()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var root = SelfSigned("CN=Trustee Root", rootKey);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var other = SelfSigned("CN=Other Root", otherKey);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=Trustee AS", leafKey, HashAlgorithmName.SHA384);
        using var leaf = request.Create(root, Now.AddDays(-1), Now.AddYears(1), [1, 2, 3, 4]);
        var challenge = _bench.Nonce();
        var claims = Ear(challenge);
        claims["iss"] = _bench.Trustee.Issuer;
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            claims.ToJsonString(),
            new SigningCredentials(new ECDsaSecurityKey(leafKey), SecurityAlgorithms.EcdsaSha384),
            new Dictionary<string, object> { ["x5c"] = new List<string> { Convert.ToBase64String(leaf.RawData), Convert.ToBase64String(root.RawData) } });

        var trusted = await JudgeAsync(token, challenge, attestor: _bench.Attestor(EarPolicyJson, earRoots: [root]));
        Assert.True(trusted.Passed, trusted.Detail);
        AssertRefused(await JudgeAsync(token, challenge, attestor: _bench.Attestor(EarPolicyJson, earRoots: [other])), AppraisalCheck.CertificateChain, bound: false);
    }

    private static X509Certificate2 SelfSigned(string name, ECDsa key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(5));
    }
}
