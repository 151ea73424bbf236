using System.Security.Cryptography.X509Certificates;
using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Keys;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Grains;
using FactoryMesh.Server.Security;
using FactoryMesh.Storage;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Builds the attestor from <c>FactoryMesh:Attestation</c>: trusted roots for <c>sim-jws</c>, trusted external
/// verifiers (<c>Issuers</c>, each with the <c>Format</c> of its results: <c>eat-jwt</c>, <c>nvidia-eat</c>,
/// <c>ear-jwt</c>, <c>ita-jwt</c>), the appraisal policy and allowed TEE kinds; <c>composite</c> evidence is read
/// whenever any format is. What is not configured is not trusted: no roots means no <c>sim-jws</c>, no issuer of a
/// format means no evidence of it, no appraisal policy means every appraisal fails. A configured file that cannot be
/// read stops the server at start; the policy file is then watched and reloaded when it changes.
/// </summary>
public static class AttestationSetup
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Attestation";

    /// <summary>
    /// Registers the attestor, nonce codec, audit chain and store, the attestation options, and the tenants' key
    /// vault: in the cluster's database when <paramref name="clusterSecrets"/> is given, else the embedded file vault in
    /// the data folder (a KMS or HSM plugs in as another <see cref="IKeyVault"/>).
    /// </summary>
    public static WebApplicationBuilder AddFactoryMeshAttestation(
        this WebApplicationBuilder builder, ServerKeys keys, StorageEngine engine, string connectionString, string dataDirectory, ClusterSecrets? clusterSecrets)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        var section = builder.Configuration.GetSection(Section);
        var nonces = new NonceCodec(keys.Nonces);
        var attestor = BuildAttestor(section, nonces, out var policyPath);
        if (policyPath is not null)
        {
            builder.Services.AddSingleton(new AppraisalPolicyFile(policyPath, attestor));
            builder.Services.AddHostedService<AppraisalPolicyReloader>();
            builder.Services.AddOptions<AppraisalPolicyReloadOptions>()
                .BindConfiguration(Section)
                .Validate(o => o.Interval > TimeSpan.Zero, $"{Section}:PolicyReloadSeconds must be positive.")
                .ValidateOnStart();
        }

        builder.Services.AddFleetAttestation(attestor, nonces, new AuditChain(keys.Audit), new AuditStore(engine, connectionString), new AuditCheckpointFile(dataDirectory));
        builder.Services.AddSingleton<IKeyVault>(clusterSecrets is null
            ? new FileKeyVault(dataDirectory, VaultMasterKey.Load(builder.Configuration, dataDirectory))
            : new ClusterKeyVault(clusterSecrets));
        builder.Services.AddOptions<AttestationOptions>()
            .BindConfiguration(Section)
            .Validate(o => o.MaxAge > TimeSpan.Zero && o.NonceLifetime > TimeSpan.Zero, $"{Section}:MaxAgeSeconds and NonceLifetimeSeconds must be positive.")
            .ValidateOnStart();
        return builder;
    }

    private static Attestor BuildAttestor(IConfigurationSection section, NonceCodec nonces, out string? policyPath)
    {
        var verifiers = new List<IEvidenceVerifier>();
        var roots = section.GetSection("SimulatedTee:RootCertificatePaths").Get<string[]>() ?? [];
        if (roots.Length > 0)
        {
            verifiers.Add(new SimulatedTeeVerifier(roots.Select(LoadRoot).ToArray(), new CertificateChainCache()));
        }

        var clockSkew = TimeSpan.FromSeconds(section.GetValue("ClockSkewSeconds", 60));
        var issuers = section.GetSection("Issuers").GetChildren().ToList();
        var byFormat = issuers.GroupBy(i => i["Format"] ?? EvidenceFormats.EatJwt, StringComparer.Ordinal).ToList();
        foreach (var format in byFormat)
        {
            verifiers.Add(format.Key switch
            {
                EvidenceFormats.EatJwt => new EatTokenVerifier(format.Select(ReadIssuer).ToList(), clockSkew),
                EvidenceFormats.NvidiaEat => new NvidiaEatVerifier(format.Select(i => ReadResultVerifier(i, format.Key)).ToList(), clockSkew),
                EvidenceFormats.EarJwt => new EarVerifier(format.Select(i => ReadResultVerifier(i, format.Key)).ToList(), clockSkew),
                EvidenceFormats.ItaJwt => new ItaVerifier(format.Select(i => ReadResultVerifier(i, format.Key)).ToList(), clockSkew),
                _ => throw new InvalidOperationException(
                    $"{Section}:Issuers names the format '{format.Key}'; issuers may be {EvidenceFormats.EatJwt}, {EvidenceFormats.NvidiaEat}, {EvidenceFormats.EarJwt} or {EvidenceFormats.ItaJwt}."),
            });
        }

        if (verifiers.Count > 0)
        {
            verifiers.Add(new CompositeVerifier(verifiers));
        }

        // ReferenceValuesPath is the key's older name, from when the file held reference values only.
        policyPath = section["AppraisalPolicyPath"] ?? section["ReferenceValuesPath"];
        var policy = string.IsNullOrEmpty(policyPath) ? AppraisalPolicy.None : ParsePolicy(ReadFile(policyPath, "AppraisalPolicyPath"), policyPath);
        policyPath = string.IsNullOrEmpty(policyPath) ? null : policyPath;
        var allowedTeeKinds = section.GetSection("AllowedTeeKinds").Get<string[]>() ?? [.. TeeKinds.All];
        var unknown = allowedTeeKinds.Where(k => !TeeKinds.All.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"{Section}:AllowedTeeKinds names unknown kinds {string.Join(", ", unknown)}; known: {TeeKinds.Listed}.");
        }

        return new Attestor(verifiers, policy, allowedTeeKinds.ToHashSet(StringComparer.Ordinal), nonces);
    }

    private static AppraisalPolicy ParsePolicy(string json, string path)
    {
        try
        {
            return AppraisalPolicy.Parse(json);
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"{Section}:AppraisalPolicyPath names '{path}': {exception.Message}", exception);
        }
    }

    private static X509Certificate2 LoadRoot(string path) => X509Certificate2.CreateFromPem(ReadFile(path, "SimulatedTee:RootCertificatePaths"));

    // A verifier of NVIDIA's, Trustee's or Intel's results. Defaults follow where each puts the challenge and the TEE
    // key: NVIDIA's verifiers take a 32-byte nonce, so their eat_nonce is the challenge's SHA-256; an EAR carries the
    // challenge in eat_nonce and the key in its key-attestation extension; Intel Trust Authority returns the attester's
    // runtime data (hashed into REPORTDATA), where the agent puts both.
    private static ResultVerifierTrust ReadResultVerifier(IConfigurationSection issuer, string format)
    {
        var name = issuer["Issuer"] ?? throw new InvalidOperationException($"{issuer.Path}:Issuer is required.");
        var jwksPath = issuer["JwksPath"];
        var rootPaths = issuer.GetSection("RootCertificatePaths").Get<string[]>() ?? [];
        if (jwksPath is null == (rootPaths.Length == 0))
        {
            throw new InvalidOperationException($"{issuer.Path}: give JwksPath (pinned keys) or RootCertificatePaths (an x5c chain), one of them.");
        }

        try
        {
            return new ResultVerifierTrust(
                format,
                name,
                issuer["Audience"],
                jwksPath is null ? new JsonWebKeySet() : new JsonWebKeySet(ReadFile(jwksPath, $"{issuer.Path}:JwksPath")),
                rootPaths.Select(path => X509Certificate2.CreateFromPem(ReadFile(path, $"{issuer.Path}:RootCertificatePaths"))).ToList(),
                issuer["NonceClaim"] ?? (format == EvidenceFormats.ItaJwt ? "attester_runtime_data/nonce" : "eat_nonce"),
                NonceBindings.Parse(issuer["NonceBinding"], format == EvidenceFormats.NvidiaEat ? NonceBinding.Sha256Hex : NonceBinding.Exact),
                issuer["TeePublicKeyClaim"] ?? (format == EvidenceFormats.ItaJwt ? "attester_runtime_data/tee_pubkey" : string.Empty),
                issuer.GetValue("AllowCertHold", false),
                TimeSpan.FromSeconds(issuer.GetValue("MaxTokenAgeSeconds", 300)));
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"{issuer.Path}: {exception.Message}", exception);
        }
    }

    private static EatIssuer ReadIssuer(IConfigurationSection issuer)
    {
        var name = issuer["Issuer"] ?? throw new InvalidOperationException($"{issuer.Path}:Issuer is required.");
        var jwksPath = issuer["JwksPath"] ?? throw new InvalidOperationException($"{issuer.Path}:JwksPath is required.");
        return new EatIssuer(
            name,
            issuer["Audience"] ?? TokenIssuer.Issuer,
            new JsonWebKeySet(ReadFile(jwksPath, $"{issuer.Path}:JwksPath")),
            issuer["NonceClaim"] ?? "eat_nonce",
            issuer["TeePublicKeyClaim"] ?? "tee_pubkey",
            issuer.GetSection("RequiredClaims").GetChildren().ToDictionary(c => c.Key, c => c.Value ?? string.Empty, StringComparer.Ordinal),
            issuer["CcModeClaim"] ?? "x-nvidia-cc-mode",
            issuer["DebugClaim"] ?? "dbgstat",
            issuer["MeasurementsClaim"] ?? "measurements",
            issuer["TeeKindClaim"] ?? "tee_kind",
            issuer["GpuCountClaim"] ?? "gpu_count");
    }

    private static string ReadFile(string path, string setting) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"{Section}:{setting} names '{path}', which does not exist.");
}
