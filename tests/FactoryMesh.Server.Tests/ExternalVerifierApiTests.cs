using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FactoryMesh.Core.Attestation;
using FactoryMesh.Server.Security;
using FactoryMesh.SimulatedTee;
using FactoryMesh.Testing;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Server.Tests;

/// <summary>
/// A server trusting NVIDIA's and Intel's verifiers as an operator configures them (issuers with a format, JWKS files,
/// an appraisal policy file): a TDX node with H100s attests with composite evidence, and the policy file is changed and
/// reloaded while the server runs.
/// </summary>
public sealed class ExternalVerifierApiTests : IAsyncLifetime
{
    private const string Driver = "570.133.20";
    private const string Vbios = "96.00.9F.00.04";
    private static readonly Dictionary<string, string> Td = new() { ["mrtd"] = new string('a', 96) };
    private readonly SimulatedVerifier _nras = SimulatedVerifier.CreateEcdsa("https://nras.attestation.nvidia.com");
    private readonly SimulatedVerifier _ita = SimulatedVerifier.CreateRsa("https://portal.trustauthority.intel.com");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"factorymesh-verifiers-{Guid.NewGuid():N}");

    public ExternalVerifierApiTests() => Server = new ServerFactory(settings: new Dictionary<string, string>
    {
        ["FactoryMesh:Attestation:Issuers:0:Format"] = EvidenceFormats.NvidiaEat,
        ["FactoryMesh:Attestation:Issuers:0:Issuer"] = _nras.Issuer,
        ["FactoryMesh:Attestation:Issuers:0:JwksPath"] = Path.Combine(_folder, "nras.jwks"),
        ["FactoryMesh:Attestation:Issuers:1:Format"] = EvidenceFormats.ItaJwt,
        ["FactoryMesh:Attestation:Issuers:1:Issuer"] = _ita.Issuer,
        ["FactoryMesh:Attestation:Issuers:1:JwksPath"] = Path.Combine(_folder, "ita.jwks"),
        ["FactoryMesh:Attestation:AppraisalPolicyPath"] = Path.Combine(_folder, "appraisal-policy.json"),
        ["FactoryMesh:Attestation:PolicyReloadSeconds"] = "0.2",
    });

    private ServerFactory Server { get; }

    private string PolicyPath => Path.Combine(_folder, "appraisal-policy.json");

    private static string Policy(string driver) => """
        {"deviceClasses": {
          "h100": {"kind": "gpu", "match": ["GH100"], "registeredModels": ["H100"],
                   "referenceValues": {"driver": [{"value": "@driver", "version": "R570"}], "vbios": [{"value": "@vbios"}]}},
          "tdx": {"kind": "cpu", "match": ["TDX"], "referenceValues": {"mrtd": [{"value": "@mrtd"}]}}
        }}
        """.Replace("@driver", driver, StringComparison.Ordinal).Replace("@vbios", Vbios, StringComparison.Ordinal).Replace("@mrtd", Td["mrtd"], StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(Path.Combine(_folder, "nras.jwks"), _nras.JwksJson);
        await File.WriteAllTextAsync(Path.Combine(_folder, "ita.jwks"), _ita.JwksJson);
        await File.WriteAllTextAsync(PolicyPath, Policy(Driver));
        _ = Server.Server; // starts the host with the files in place
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _nras.Dispose();
        _ita.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(HttpClient Agent, string NodeId)> TdxNodeAsync()
    {
        using var op = Server.Operator();
        var siteId = await Fleet.CreateSiteAsync(op);
        var agent = await Server.ClientInRoleAsync(Roles.Agent, site: siteId);
        await ApiAssert.OkJsonAsync(await agent.PutAsJsonAsync($"/api/v1/sites/{siteId}/nodes/node-1",
            new { gpuModel = "H100", gpuCount = 2, gpuMemoryGiB = 80, teeKind = "TDX", powerWatts = 2_400, costUsdPerHour = 8 }));
        return (agent, $"{siteId}/node-1");
    }

    // What an agent on a TDX node with two H100s sends: Intel's token for the TD (its runtime data holding the challenge and
    // the TEE key), NVIDIA's bundle for the GPUs (eat_nonce the challenge's SHA-256), as one composite.
    private async Task<HttpResponseMessage> AttestAsync(HttpClient agent, string nodeId)
    {
        var challenge = (await ApiAssert.OkJsonAsync(await agent.PostAsync($"{Fleet.NodeUrl(nodeId)}/attestation/challenge", null))).GetProperty("nonce").GetString()!;
        var now = DateTimeOffset.UtcNow;
        using var tee = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var q = tee.ExportParameters(false).Q;
        var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(q.X), ["y"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(q.Y) };
        var gpuNonce = NonceBindings.Encode(NonceBinding.Sha256Hex, challenge);
        var gpus = Enumerable.Range(0, 2).Select(i => ($"GPU-{i}", VerifierResultShapes.NvidiaGpu($"ueid-{i}", gpuNonce, "GH100 A01 GSP BROM", Driver, Vbios, now))).ToList();
        var composite = new JsonObject
        {
            ["parts"] = new JsonArray(
                new JsonObject { ["format"] = EvidenceFormats.ItaJwt, ["evidence"] = _ita.Sign(VerifierResultShapes.Ita(challenge, jwk, Td, now)) },
                new JsonObject { ["format"] = EvidenceFormats.NvidiaEat, ["evidence"] = _nras.NvidiaBundle(gpuNonce, gpus, now) }),
        };
        return await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = EvidenceFormats.Composite, evidence = composite.ToJsonString() });
    }

    private async Task<List<JsonElement>> AuditAsync(string kind)
    {
        using var op = Server.Operator();
        var records = await ApiAssert.OkJsonAsync(await op.GetAsync("/api/v1/audit?limit=1000"));
        return [.. records.EnumerateArray().Select(r => r.GetProperty("entry")).Where(e => e.GetProperty("kind").GetString() == kind)];
    }

    [Fact]
    public async Task A_tdx_node_with_h100s_attests_with_intel_and_nvidia_results_and_is_judged_by_the_reloaded_policy()
    {
        var (agent, nodeId) = await TdxNodeAsync();
        using var _ = agent;

        var trust = await ApiAssert.OkJsonAsync(await AttestAsync(agent, nodeId));
        Assert.Equal("Trusted", trust.GetProperty("state").GetString());
        var firstVersion = AppraisalPolicy.Parse(await File.ReadAllTextAsync(PolicyPath)).Version;
        Assert.Equal(firstVersion, (await AuditAsync("appraisal")).Last().GetProperty("policyVersion").GetString());

        // The operator withdraws the driver release: the running server takes the new file and the next appraisal refuses it.
        await File.WriteAllTextAsync(PolicyPath, Policy("580.65.06"));
        var secondVersion = AppraisalPolicy.Parse(await File.ReadAllTextAsync(PolicyPath)).Version;
        await Eventually.HoldsAsync(async () => (await AuditAsync("appraisal-policy")).Any(e => e.GetProperty("policyVersion").GetString() == secondVersion), TimeSpan.FromSeconds(20), "the policy reload to be audited");
        var refused = await ApiAssert.ProblemAsync(await AttestAsync(agent, nodeId), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("MeasurementNotAllowed", refused.GetProperty("check").GetString());
        Assert.Equal("Untrusted", refused.GetProperty("trust").GetProperty("state").GetString());
        Assert.Equal(secondVersion, (await AuditAsync("appraisal")).Last().GetProperty("policyVersion").GetString());

        // A broken edit is refused and audited; the policy in force stays, and a node on the allowed driver would still pass.
        await File.WriteAllTextAsync(PolicyPath, "{\"deviceClasses\": {\"h100\": {\"kind\": \"tpu\"}}}");
        await Eventually.HoldsAsync(async () => (await AuditAsync("appraisal-policy")).Any(e => e.GetProperty("verdict").GetString() == "refused"), TimeSpan.FromSeconds(20), "the broken policy to be refused");
        await File.WriteAllTextAsync(PolicyPath, Policy(Driver));
        await Eventually.HoldsAsync(async () => (await AuditAsync("appraisal-policy")).Count(e => e.GetProperty("verdict").GetString() == "loaded") == 2, TimeSpan.FromSeconds(20), "the good policy back");
        Assert.Equal("Trusted", (await ApiAssert.OkJsonAsync(await AttestAsync(agent, nodeId))).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_unknown_format_is_a_clear_400_naming_the_known_ones()
    {
        var (agent, nodeId) = await TdxNodeAsync();
        using var _ = agent;

        var problem = await ApiAssert.ProblemAsync(await agent.PostAsJsonAsync($"{Fleet.NodeUrl(nodeId)}/attestation", new { format = "", evidence = "x" }), HttpStatusCode.BadRequest);

        Assert.Contains("nvidia-eat", problem.GetRawText(), StringComparison.Ordinal);
    }
}
