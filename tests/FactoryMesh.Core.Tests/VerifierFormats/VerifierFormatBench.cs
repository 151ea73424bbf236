using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Core.Tests.VerifierFormats;

/// <summary>
/// Three simulated external verifiers (NVIDIA's, Trustee's, Intel's) with keys made for the test, an appraisal policy
/// with device classes, a nonce codec and a TEE key, at a fixed instant: the results each verifier would return for a
/// node, and an attestor that judges them.
/// </summary>
public sealed class VerifierFormatBench : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    public const string NodeId = "eu-fra-1/node-1";
    public const string Driver = "570.133.20";
    public const string Vbios = "96.00.9F.00.04";
    public const string SwitchBios = "96.10.6D.00.01";
    public static readonly string Mrtd = new('a', 96);
    public static readonly Dictionary<string, string> TdMeasurements = new()
    {
        ["mrtd"] = Mrtd, ["rtmr0"] = new string('1', 96), ["rtmr1"] = new string('2', 96), ["rtmr2"] = new string('3', 96), ["rtmr3"] = new string('0', 96),
    };

    /// <summary>H100s (GH100) with their driver and VBIOS, TDX CPUs with their TD measurements, NVSwitches optional.</summary>
    public static readonly string PolicyJson = """
        {"deviceClasses": {
          "h100": {"kind": "gpu", "match": ["GH100"], "registeredModels": ["H100"],
                   "referenceValues": {"driver": [{"value": "@driver", "version": "R570 GA", "expiresAt": "2027-06-30T00:00:00Z"}],
                                       "vbios": [{"value": "@vbios", "version": "H100 SXM5"}]}},
          "tdx": {"kind": "cpu", "match": ["TDX"], "allowedTcbStatuses": ["UpToDate"],
                  "referenceValues": {"mrtd": [{"value": "@mrtd"}], "rtmr0": [{"value": "@rtmr0"}], "rtmr1": [{"value": "@rtmr1"}],
                                      "rtmr2": [{"value": "@rtmr2"}], "rtmr3": [{"value": "@rtmr3"}]}},
          "nvswitch": {"kind": "switch", "optional": true, "referenceValues": {"bios": [{"value": "@bios"}]}}
        }}
        """.Replace("@driver", Driver, StringComparison.Ordinal).Replace("@vbios", Vbios, StringComparison.Ordinal)
        .Replace("@mrtd", Mrtd, StringComparison.Ordinal).Replace("@bios", SwitchBios, StringComparison.Ordinal)
        .Replace("@rtmr0", TdMeasurements["rtmr0"], StringComparison.Ordinal).Replace("@rtmr1", TdMeasurements["rtmr1"], StringComparison.Ordinal)
        .Replace("@rtmr2", TdMeasurements["rtmr2"], StringComparison.Ordinal).Replace("@rtmr3", TdMeasurements["rtmr3"], StringComparison.Ordinal);

    /// <summary>EAR devices: the verifier appraised their measurements; the policy judges the trustworthiness it states.</summary>
    public static readonly string EarPolicyJson = """
        {"deviceClasses": {
          "cpu": {"kind": "cpu"},
          "gpu": {"kind": "gpu", "registeredModels": ["H100"]}
        }}
        """;

    public VerifierFormatBench()
    {
        Nras = SimulatedVerifier.CreateEcdsa("https://nras.attestation.nvidia.com");
        Trustee = SimulatedVerifier.CreateEcdsa("CoCo-Attestation-Service", "trustee-1");
        Ita = SimulatedVerifier.CreateRsa("https://portal.trustauthority.intel.com");
        Nonces = new NonceCodec(RandomNumberGenerator.GetBytes(32));
    }

    public SimulatedVerifier Nras { get; }
    public SimulatedVerifier Trustee { get; }
    public SimulatedVerifier Ita { get; }
    public NonceCodec Nonces { get; }
    public ECDiffieHellman TeeKey { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);

    public JsonObject TeeJwk
    {
        get
        {
            var q = TeeKey.ExportParameters(false).Q;
            return new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = Base64UrlEncoder.Encode(q.X), ["y"] = Base64UrlEncoder.Encode(q.Y) };
        }
    }

    public string TeeSpki => Base64UrlEncoder.Encode(TeeKey.ExportSubjectPublicKeyInfo());

    public string Nonce() => Nonces.Issue(NodeId, Now + TimeSpan.FromMinutes(2));

    /// <summary>What NVIDIA's verifiers carry as eat_nonce for a challenge: its SHA-256, hex.</summary>
    public static string NvidiaNonce(string challenge) => NonceBindings.Encode(NonceBinding.Sha256Hex, challenge);

    public static ResultVerifierTrust Trust(SimulatedVerifier verifier, string format, bool allowCertHold = false, IReadOnlyList<X509Certificate2>? roots = null) => new(
        format,
        verifier.Issuer,
        Audience: null,
        roots is null ? new JsonWebKeySet(verifier.JwksJson) : new JsonWebKeySet(),
        roots ?? [],
        format == EvidenceFormats.ItaJwt ? "attester_runtime_data/nonce" : "eat_nonce",
        format == EvidenceFormats.NvidiaEat ? NonceBinding.Sha256Hex : NonceBinding.Exact,
        format == EvidenceFormats.ItaJwt ? "attester_runtime_data/tee_pubkey" : string.Empty,
        allowCertHold,
        TimeSpan.FromMinutes(5));

    public Attestor Attestor(string? policyJson = null, bool allowCertHold = false, IReadOnlyList<X509Certificate2>? earRoots = null)
    {
        var skew = TimeSpan.FromSeconds(60);
        IEvidenceVerifier[] formats =
        [
            new NvidiaEatVerifier([Trust(Nras, EvidenceFormats.NvidiaEat, allowCertHold)], skew),
            new EarVerifier([Trust(Trustee, EvidenceFormats.EarJwt, roots: earRoots)], skew),
            new ItaVerifier([Trust(Ita, EvidenceFormats.ItaJwt, allowCertHold)], skew),
        ];
        return new Attestor([.. formats, new CompositeVerifier(formats)], AppraisalPolicy.Parse(policyJson ?? PolicyJson), new HashSet<string>(["TDX", "SEV-SNP", "SIM"]), Nonces);
    }

    public Task<AttestationVerdict> JudgeAsync(string format, string evidence, string? outstanding, int gpus, string gpuModel = "H100", string teeKind = "TDX", Attestor? attestor = null, DateTimeOffset? at = null) =>
        (attestor ?? Attestor()).JudgeAsync(new AttestationRequest(NodeId, teeKind, gpus, format, evidence, outstanding, new HashSet<string>(), at ?? Now, gpuModel));

    /// <summary>Detached claims of <paramref name="count"/> H100s answering <paramref name="challenge"/>, each changeable before signing.</summary>
    public static List<(string Name, JsonObject Claims)> Gpus(string challenge, int count) =>
        [.. Enumerable.Range(0, count).Select(i => ($"GPU-{i}", VerifierResultShapes.NvidiaGpu($"65{i:D4}811250958030500749152730221142468", NvidiaNonce(challenge), "GH100 A01 GSP BROM", Driver, Vbios, Now)))];

    /// <summary>Asserts a refusal by <paramref name="check"/>, bound to the challenge or not, with its reason in words.</summary>
    public static void AssertRefused(AttestationVerdict verdict, AppraisalCheck check, bool bound = true)
    {
        Assert.False(verdict.Passed, "expected a refusal");
        Assert.Equal(check, verdict.FailedCheck);
        Assert.Equal(bound, verdict.Bound);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Detail));
    }

    public void Dispose()
    {
        Nras.Dispose();
        Trustee.Dispose();
        Ita.Dispose();
        TeeKey.Dispose();
    }
}
