using System.Security.Cryptography;
using FactoryMesh.Core.Attestation;
using FactoryMesh.SimulatedTee;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Tests;

/// <summary>
/// Real keys and certificates made for the test: a vendor CA and its devices, an external verifier with a
/// JWKS, reference values, and an attestor configured with them, at a fixed instant.
/// </summary>
public sealed class AttestationBench : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    public const string NodeId = "eu-fra-1/node-1";
    public const string VerifierIssuer = "https://nras.example/attest";
    public const string Audience = "factorymesh";

    public static readonly Dictionary<string, string> CpuMeasurements = new() { ["mrtd"] = "a1b2c3", ["rtmr0"] = "d4e5f6" };
    public static readonly Dictionary<string, string> GpuMeasurements = new() { ["firmware"] = "96.00.5e.00.01", ["driver"] = "550.54.15", ["vbios"] = "96.00.88.00.11" };

    public AttestationBench()
    {
        Vendor = SimulatedVendorCa.Create("Sim Vendor Root", Now.AddYears(-1), Now.AddYears(5));
        Device = Vendor.IssueDevice("node-1", Now.AddDays(-30), Now.AddYears(1));
        VerifierKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(VerifierKey) { KeyId = "verifier-1" });
        var jwks = new JsonWebKeySet();
        jwks.Keys.Add(jwk);
        Policy = AppraisalPolicy.Parse("""
            {"components": {
              "cpu": {"mrtd": [{"value": "a1b2c3"}], "rtmr0": [{"value": "d4e5f6"}]},
              "gpu": {"firmware": [{"value": "96.00.5E.00.01", "expiresAt": "2027-06-30T00:00:00Z"}, {"value": "95.00.00.00.01", "expiresAt": "2026-01-01T00:00:00Z"}],
                      "driver": [{"value": "550.54.15"}], "vbios": [{"value": "96.00.88.00.11"}]}
            }}
            """);
        Nonces = new NonceCodec(RandomNumberGenerator.GetBytes(32));
        var issuer = new EatIssuer(VerifierIssuer, Audience, jwks, "eat_nonce", "tee_pubkey",
            new Dictionary<string, string> { ["x-nvidia-overall-att-result"] = "true" }, "x-nvidia-cc-mode", "dbgstat", "measurements", "tee_kind");
        Attestor = new Attestor(
            [new SimulatedTeeVerifier([System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Vendor.Certificate.RawData)], new CertificateChainCache()), new EatTokenVerifier([issuer], TimeSpan.FromSeconds(60))],
            Policy,
            new HashSet<string>(["SIM", "TDX"]),
            Nonces);
    }

    public SimulatedVendorCa Vendor { get; }
    public SimulatedTeeDevice Device { get; }
    public ECDsa VerifierKey { get; }
    public AppraisalPolicy Policy { get; }
    public NonceCodec Nonces { get; }
    public Attestor Attestor { get; }

    public string Nonce(string nodeId = NodeId, TimeSpan? life = null) => Nonces.Issue(nodeId, Now + (life ?? TimeSpan.FromMinutes(2)));

    public static SimulatedEvidence Evidence(string nonce, string nodeId = NodeId) => new(
        nodeId, nonce, "SIM", CpuMeasurements,
        [new SimulatedGpu("GPU-0001", GpuMeasurements), new SimulatedGpu("GPU-0002", GpuMeasurements)]);

    /// <summary>GPUs the judged node is registered with: as many as <see cref="Evidence"/> and <see cref="EatClaims"/> attest.</summary>
    public const int RegisteredGpus = 2;

    public Task<AttestationVerdict> JudgeAsync(string format, string evidence, string? outstanding, string teeKind = "SIM", IReadOnlySet<string>? revoked = null, DateTimeOffset? at = null, int registeredGpus = RegisteredGpus) =>
        Attestor.JudgeAsync(new AttestationRequest(NodeId, teeKind, registeredGpus, format, evidence, outstanding, revoked ?? new HashSet<string>(), at ?? Now));

    /// <summary>An attestation result token as an external verifier would issue it.</summary>
    public string EatToken(Dictionary<string, object> claims, ECDsa? key = null, string kid = "verifier-1", string algorithm = SecurityAlgorithms.EcdsaSha384)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key ?? VerifierKey) { KeyId = kid }, algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public Dictionary<string, object> EatClaims(string nonce) => new()
    {
        ["iss"] = VerifierIssuer,
        ["aud"] = Audience,
        ["iat"] = Now.AddSeconds(-5).ToUnixTimeSeconds(),
        ["nbf"] = Now.AddSeconds(-5).ToUnixTimeSeconds(),
        ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds(),
        ["eat_nonce"] = nonce,
        ["x-nvidia-overall-att-result"] = true,
        ["x-nvidia-cc-mode"] = "on",
        ["dbgstat"] = 1,
        ["tee_kind"] = "TDX",
        ["tee_pubkey"] = System.Text.Json.JsonDocument.Parse(Device.TeePublicJwk.ToJsonString()).RootElement,
        ["measurements"] = System.Text.Json.JsonDocument.Parse("""
            {"cpu": {"mrtd": "a1b2c3", "rtmr0": "d4e5f6"}, "gpu": {"firmware": "96.00.5E.00.01", "driver": "550.54.15", "vbios": "96.00.88.00.11"}}
            """).RootElement,
        ["gpu_count"] = RegisteredGpus,
    };

    public void Dispose()
    {
        Device.Dispose();
        Vendor.Dispose();
        VerifierKey.Dispose();
    }
}
