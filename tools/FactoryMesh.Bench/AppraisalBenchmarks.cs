using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Bench;

/// <summary>
/// Appraisals per second for each evidence format, against a baseline of one bare ECDSA P-384 signature check
/// of a payload of the same size: the floor any appraisal must pay per signature (NVIDIA's bundle for 8 GPUs carries
/// 9 signatures, so its floor is 9 baselines). The sim-jws case runs with the chain cache warm (a routine
/// re-attestation) and cold (a first attestation: chain building included).
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
    private SimulatedVerifier _nras = null!;
    private SimulatedVerifier _trustee = null!;
    private SimulatedVerifier _ita = null!;
    private (string Evidence, string Nonce) _nvidia;
    private (string Evidence, string Nonce) _ear;
    private (string Evidence, string Nonce) _itaComposite;
    private (string Evidence, string Nonce) _tdxAndBundle;

    [GlobalSetup]
    public void Setup()
    {
        _vendor = SimulatedVendorCa.Create("Bench Vendor", Now.AddDays(-1), Now.AddYears(1));
        _device = _vendor.IssueDevice("node-1", Now.AddHours(-1), Now.AddMonths(6));
        _root = X509CertificateLoader.LoadCertificate(_vendor.Certificate.RawData);
        _verifierKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        _nonces = new NonceCodec(RandomNumberGenerator.GetBytes(32));
        _referenceValues = AppraisalPolicy.Parse("""
            {"deviceClasses": {
               "h100": {"kind": "gpu", "formats": ["nvidia-eat", "ita-jwt"], "match": ["GH100"], "referenceValues": {"driver": [{"value": "d1"}], "vbios": [{"value": "v1"}]}},
               "tdx": {"kind": "cpu", "formats": ["ita-jwt"], "match": ["TDX"], "referenceValues": {"mrtd": [{"value": "a1"}]}},
               "ear-cpu": {"kind": "cpu", "formats": ["ear-jwt"]},
               "ear-gpu": {"kind": "gpu", "formats": ["ear-jwt"]}},
             "components": {"cpu": {"mrtd": [{"value": "a1"}]},
             "gpu": {"firmware": [{"value": "f1"}], "driver": [{"value": "d1"}], "vbios": [{"value": "v1"}]}}}
            """);
        var jwks = new JsonWebKeySet();
        jwks.Keys.Add(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(_verifierKey) { KeyId = "v1" }));
        var issuer = new EatIssuer("https://verifier.bench", "factorymesh", jwks, "eat_nonce", "tee_pubkey",
            new Dictionary<string, string> { ["x-nvidia-overall-att-result"] = "true" }, "x-nvidia-cc-mode", "dbgstat", "measurements", "tee_kind");
        _nras = SimulatedVerifier.CreateEcdsa("https://nras.bench");
        _trustee = SimulatedVerifier.CreateEcdsa("trustee.bench");
        _ita = SimulatedVerifier.CreateRsa("https://ita.bench");
        ResultVerifierTrust Trust(SimulatedVerifier verifier, string format, NonceBinding binding, string nonceClaim, string keyClaim) =>
            new(format, verifier.Issuer, null, new JsonWebKeySet(verifier.JwksJson), [], nonceClaim, binding, keyClaim, false, TimeSpan.FromMinutes(5));
        var skew = TimeSpan.FromSeconds(60);
        IEvidenceVerifier[] results =
        [
            new NvidiaEatVerifier([Trust(_nras, EvidenceFormats.NvidiaEat, NonceBinding.Sha256Hex, "eat_nonce", string.Empty)], skew),
            new EarVerifier([Trust(_trustee, EvidenceFormats.EarJwt, NonceBinding.Exact, "eat_nonce", string.Empty)], skew),
            new ItaVerifier([Trust(_ita, EvidenceFormats.ItaJwt, NonceBinding.Exact, "attester_runtime_data/nonce", "attester_runtime_data/tee_pubkey")], skew),
        ];
        _warm = new Attestor(
            [new SimulatedTeeVerifier([_root], new CertificateChainCache()), new EatTokenVerifier([issuer], TimeSpan.FromSeconds(60)), .. results, new CompositeVerifier(results)],
            _referenceValues, new HashSet<string>(["SIM", "TDX"]), _nonces);
        CreateResultEvidence();
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

    private void CreateResultEvidence()
    {
        static string Sha(string nonce) => NonceBindings.Encode(NonceBinding.Sha256Hex, nonce);
        System.Text.Json.Nodes.JsonObject Gpu(int i, string nonce) => VerifierResultShapes.NvidiaGpu($"ueid-{i}", Sha(nonce), "GH100 A01 GSP BROM", "d1", "v1", Now);
        List<(string, System.Text.Json.Nodes.JsonObject)> Gpus(string nonce) => [.. Enumerable.Range(0, 8).Select(i => ($"GPU-{i}", Gpu(i, nonce)))];
        var td = new Dictionary<string, string> { ["mrtd"] = "a1" };

        var nonce = _nonces.Issue(NodeId, Now.AddHours(1));
        _nvidia = (_nras.NvidiaBundle(Sha(nonce), Gpus(nonce), Now), nonce);

        nonce = _nonces.Issue(NodeId, Now.AddHours(1));
        var submods = new List<(string, System.Text.Json.Nodes.JsonObject)>
        {
            ("cpu0", VerifierResultShapes.EarSubmodule(new System.Text.Json.Nodes.JsonObject { ["tdx"] = new System.Text.Json.Nodes.JsonObject() }, akpub: Base64UrlEncoder.Encode(_device.TeeKey.ExportSubjectPublicKeyInfo()))),
        };
        submods.AddRange(Enumerable.Range(0, 8).Select(i => ($"gpu{i}", VerifierResultShapes.EarSubmodule())));
        _ear = (_trustee.Sign(VerifierResultShapes.Ear(nonce, submods, Now)), nonce);

        nonce = _nonces.Issue(NodeId, Now.AddHours(1));
        _itaComposite = (_ita.Sign(VerifierResultShapes.Ita(nonce, _device.TeePublicJwk, td, Now, [.. Enumerable.Range(0, 8).Select(i => Gpu(i, nonce))])), nonce);

        nonce = _nonces.Issue(NodeId, Now.AddHours(1));
        _tdxAndBundle = (new System.Text.Json.Nodes.JsonObject
        {
            ["parts"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["format"] = EvidenceFormats.ItaJwt, ["evidence"] = _ita.Sign(VerifierResultShapes.Ita(nonce, _device.TeePublicJwk, td, Now)) },
                new System.Text.Json.Nodes.JsonObject { ["format"] = EvidenceFormats.NvidiaEat, ["evidence"] = _nras.NvidiaBundle(Sha(nonce), Gpus(nonce), Now) }),
        }.ToJsonString(), nonce);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nras.Dispose();
        _trustee.Dispose();
        _ita.Dispose();
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

    [Benchmark(Description = "nvidia-eat, 8 GPUs (9 ES384 JWTs)")]
    public Task<AttestationVerdict> NvidiaBundle() => Judge(_warm, "TDX", EvidenceFormats.NvidiaEat, _nvidia.Evidence, _nvidia.Nonce, cpuRequired: false);

    [Benchmark(Description = "ear-jwt, CPU + 8 GPUs (ES384)")]
    public Task<AttestationVerdict> Ear() => Judge(_warm, "TDX", EvidenceFormats.EarJwt, _ear.Evidence, _ear.Nonce);

    [Benchmark(Description = "ita-jwt tdx+nvgpu, 8 GPUs (PS384)")]
    public Task<AttestationVerdict> ItaComposite() => Judge(_warm, "TDX", EvidenceFormats.ItaJwt, _itaComposite.Evidence, _itaComposite.Nonce);

    [Benchmark(Description = "composite: ita-jwt TDX + nvidia-eat 8 GPUs")]
    public Task<AttestationVerdict> TdxAndBundle() => Judge(_warm, "TDX", EvidenceFormats.Composite, _tdxAndBundle.Evidence, _tdxAndBundle.Nonce);

    // A bundle alone states no CPU, which the policy requires: the benchmark times its full appraisal and expects exactly
    // that one refusal, as the attestor reaches it only after every signature, digest and GPU claim was checked.
    private async Task<AttestationVerdict> Judge(Attestor attestor, string teeKind, string format, string evidence, string nonce, bool cpuRequired = true)
    {
        var verdict = await attestor.JudgeAsync(new AttestationRequest(NodeId, teeKind, 8, format, evidence, nonce, _revoked, DateTimeOffset.UtcNow));
        var expected = cpuRequired ? AppraisalCheck.None : AppraisalCheck.MeasurementMissing;
        return verdict.FailedCheck == expected ? verdict : throw new InvalidOperationException($"The benchmark's evidence failed: {verdict.FailedCheck} {verdict.Detail}");
    }
}
