using System.Security.Cryptography.X509Certificates;
using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Keys;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Grains;
using FactoryMesh.Server.Security;
using FactoryMesh.Storage;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Builds the attestor from <c>FactoryMesh:Attestation</c>: trusted roots for <c>sim-jws</c>, trusted external
/// verifiers for <c>eat-jwt</c>, reference values and allowed TEE kinds. What is not configured is not
/// trusted: no roots means no <c>sim-jws</c>, no issuers means no <c>eat-jwt</c>, no reference values means
/// every appraisal fails. A configured file that cannot be read stops the server at start.
/// </summary>
public static class AttestationSetup
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Attestation";

    /// <summary>
    /// Registers the attestor, nonce codec, audit chain and store, the attestation options, and the tenants' key
    /// vault (the embedded file vault in the data folder; a KMS or HSM plugs in as another <see cref="IKeyVault"/>).
    /// </summary>
    public static WebApplicationBuilder AddFactoryMeshAttestation(this WebApplicationBuilder builder, ServerKeys keys, StorageEngine engine, string connectionString, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        var section = builder.Configuration.GetSection(Section);
        var nonces = new NonceCodec(keys.Nonces);
        builder.Services.AddFleetAttestation(BuildAttestor(section, nonces), nonces, new AuditChain(keys.Audit), new AuditStore(engine, connectionString), new AuditCheckpointFile(dataDirectory));
        builder.Services.AddSingleton<IKeyVault>(new FileKeyVault(dataDirectory, VaultMasterKey.Load(builder.Configuration, dataDirectory)));
        builder.Services.AddOptions<AttestationOptions>()
            .Configure(o =>
            {
                o.MaxAge = TimeSpan.FromSeconds(section.GetValue("MaxAgeSeconds", o.MaxAge.TotalSeconds));
                o.NonceLifetime = TimeSpan.FromSeconds(section.GetValue("NonceLifetimeSeconds", o.NonceLifetime.TotalSeconds));
            })
            .Validate(o => o.MaxAge > TimeSpan.Zero && o.NonceLifetime > TimeSpan.Zero, $"{Section}:MaxAgeSeconds and NonceLifetimeSeconds must be positive.")
            .ValidateOnStart();
        return builder;
    }

    private static Attestor BuildAttestor(IConfigurationSection section, NonceCodec nonces)
    {
        var verifiers = new List<IEvidenceVerifier>();
        var roots = section.GetSection("SimulatedTee:RootCertificatePaths").Get<string[]>() ?? [];
        if (roots.Length > 0)
        {
            verifiers.Add(new SimulatedTeeVerifier(roots.Select(LoadRoot).ToArray(), new CertificateChainCache()));
        }

        var issuers = section.GetSection("Issuers").GetChildren().Select(ReadIssuer).ToList();
        if (issuers.Count > 0)
        {
            verifiers.Add(new EatTokenVerifier(issuers, TimeSpan.FromSeconds(section.GetValue("ClockSkewSeconds", 60))));
        }

        var referenceValuesPath = section["ReferenceValuesPath"];
        var referenceValues = string.IsNullOrEmpty(referenceValuesPath) ? ReferenceValues.None : ReferenceValues.Parse(ReadFile(referenceValuesPath, "ReferenceValuesPath"));
        var allowedTeeKinds = section.GetSection("AllowedTeeKinds").Get<string[]>() ?? [.. TeeKinds.All];
        var unknown = allowedTeeKinds.Where(k => !TeeKinds.All.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"{Section}:AllowedTeeKinds names unknown kinds {string.Join(", ", unknown)}; known: {TeeKinds.Listed}.");
        }

        return new Attestor(verifiers, referenceValues, allowedTeeKinds.ToHashSet(StringComparer.Ordinal), nonces);
    }

    private static X509Certificate2 LoadRoot(string path) => X509Certificate2.CreateFromPem(ReadFile(path, "SimulatedTee:RootCertificatePaths"));

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
