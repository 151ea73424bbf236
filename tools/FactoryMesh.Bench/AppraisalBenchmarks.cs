using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Bench;

/// <summary>
/// Appraisals per second for each evidence format, against a baseline of one bare ECDSA P-384 signature check
/// of a payload of the same size: the floor any appraisal must pay. The sim-jws case runs with the chain cache
/// warm (a routine re-attestation) and cold (a first attestation: chain building included).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AppraisalBenchmarks
{
    private const string NodeId = "eu-fra-1/node-1";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private SimulatedVendorCa _vendor = null!;
    private SimulatedTeeDevice _device = null!;
    private ECDsa _verifierKey = null!;
    private X509Certificate2 _root = null!;
    private Attestor _warm = null!;
    private NonceCodec _nonces = null!;
    private AppraisalPolicy _referenceValues = null!;
    private string _simEvidence = null!;
    private string _simNonce = null!;
    private string _eatToken = null!;
    private string _eatNonce = null!;
    private byte[] _payload = null!;
    private byte[] _signature = null!;
    private ECDsa _baselineKey = null!;
    private HashSet<string> _revoked = null!;

    [GlobalSetup]
    public void Setup()
    {
        _vendor = SimulatedVendorCa.Create("Bench Vendor", Now.AddDays(-1), Now.AddYears(1));
        _device = _vendor.IssueDevice("node-1", Now.AddHours(-1), Now.AddMonths(6));
        _root = X509CertificateLoader.LoadCertificate(_vendor.Certificate.RawData);
        _verifierKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        _nonces = new NonceCodec(RandomNumberGenerator.GetBytes(32));
        _referenceValues = AppraisalPolicy.Parse("""
            {"components": {"cpu": {"mrtd": [{"value": "a1"}]},
             "gpu": {"firmware": [{"value": "f1"}], "driver": [{"value": "d1"}], "vbios": [{"value": "v1"}]}}}
            """);
        var jwks = new JsonWebKeySet();
        jwks.Keys.Add(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(_verifierKey) { KeyId = "v1" }));
        var issuer = new EatIssuer("https://verifier.bench", "factorymesh", jwks, "eat_nonce", "tee_pubkey",
            new Dictionary<string, string> { ["x-nvidia-overall-att-result"] = "true" }, "x-nvidia-cc-mode", "dbgstat", "measurements", "tee_kind");
        _warm = new Attestor(
            [new SimulatedTeeVerifier([_root], new CertificateChainCache()), new EatTokenVerifier([issuer], TimeSpan.FromSeconds(60))],
            _referenceValues, new HashSet<string>(["SIM", "TDX"]), _nonces);
        _revoked = [];

        var gpu = new Dictionary<string, string> { ["firmware"] = "f1", ["driver"] = "d1", ["vbios"] = "v1" };
        _simNonce = _nonces.Issue(NodeId, Now.AddHours(1));
        _simEvidence = _device.CreateEvidence(new SimulatedEvidence(NodeId, _simNonce, "SIM", new Dictionary<string, string> { ["mrtd"] = "a1" },
            SimulatedGpu.Slots(8, gpu)));

        _eatNonce = _nonces.Issue(NodeId, Now.AddHours(1));
        _eatToken = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["iss"] = "https://verifier.bench", ["aud"] = "factorymesh",
                ["iat"] = Now.ToUnixTimeSeconds(), ["exp"] = Now.AddHours(1).ToUnixTimeSeconds(),
                ["eat_nonce"] = _eatNonce, ["x-nvidia-overall-att-result"] = true, ["x-nvidia-cc-mode"] = "on", ["dbgstat"] = 1, ["tee_kind"] = "TDX",
                ["gpu_count"] = 8,
                ["measurements"] = System.Text.Json.JsonDocument.Parse("""{"cpu": {"mrtd": "a1"}, "gpu": {"firmware": "f1", "driver": "d1", "vbios": "v1"}}""").RootElement,
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_verifierKey) { KeyId = "v1" }, SecurityAlgorithms.EcdsaSha384),
        });

        _baselineKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        _payload = Encoding.UTF8.GetBytes(_simEvidence[.._simEvidence.LastIndexOf('.')]);
        _signature = _baselineKey.SignData(_payload, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _device.Dispose();
        _vendor.Dispose();
        _verifierKey.Dispose();
        _baselineKey.Dispose();
        _root.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ECDSA P-384 verify (baseline)")]
    public bool BareSignatureCheck() => _baselineKey.VerifyData(_payload, _signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark(Description = "sim-jws, 8 GPUs, chain cached")]
    public Task<AttestationVerdict> SimulatedWarm() => Judge(_warm, "SIM", EvidenceFormats.SimulatedJws, _simEvidence, _simNonce);

    [Benchmark(Description = "sim-jws, 8 GPUs, chain built")]
    public Task<AttestationVerdict> SimulatedCold()
    {
        var cold = new Attestor([new SimulatedTeeVerifier([_root], new CertificateChainCache())], _referenceValues, new HashSet<string>(["SIM"]), _nonces);
        return Judge(cold, "SIM", EvidenceFormats.SimulatedJws, _simEvidence, _simNonce);
    }

    [Benchmark(Description = "eat-jwt (ES384)")]
    public Task<AttestationVerdict> ExternalVerifierToken() => Judge(_warm, "TDX", EvidenceFormats.EatJwt, _eatToken, _eatNonce);

    private async Task<AttestationVerdict> Judge(Attestor attestor, string teeKind, string format, string evidence, string nonce)
    {
        var verdict = await attestor.JudgeAsync(new AttestationRequest(NodeId, teeKind, 8, format, evidence, nonce, _revoked, DateTimeOffset.UtcNow));
        return verdict.Passed ? verdict : throw new InvalidOperationException($"The benchmark's evidence failed: {verdict.FailedCheck} {verdict.Detail}");
    }
}
