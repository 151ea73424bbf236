using FactoryMesh.SimulatedTee;
using FactoryMesh.SiteAgent.Storage;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// The simulated external verifiers (NVIDIA's, Trustee's, Intel's), created once in the vendor folder and kept: each
/// signing key in <c>verifier-{name}.pem</c> (0600) and its JWKS in <c>verifier-{name}.jwks.json</c>, the file the
/// control plane's operator may choose to trust (<c>FactoryMesh:Attestation:Issuers:N:JwksPath</c>). Nothing trusts
/// them by default; <c>verifier-issuers</c> prints the settings that would.
/// </summary>
internal sealed class SimulatedVerifierStore : IDisposable
{
    private static readonly (string Name, string Format, string Issuer)[] Verifiers =
    [
        ("nras", SimulatedResultFormat.Nvidia, "https://nras.simulated.factorymesh.invalid"),
        ("trustee", SimulatedResultFormat.Ear, "simulated-trustee-attestation-service"),
        ("ita", SimulatedResultFormat.Ita, "https://ita.simulated.factorymesh.invalid"),
    ];

    private SimulatedVerifierStore(SimulatedVerifier nras, SimulatedVerifier trustee, SimulatedVerifier ita)
    {
        Nras = nras;
        Trustee = trustee;
        Ita = ita;
    }

    /// <summary>NVIDIA's simulated remote attestation service.</summary>
    public SimulatedVerifier Nras { get; }

    /// <summary>Trustee's simulated attestation service.</summary>
    public SimulatedVerifier Trustee { get; }

    /// <summary>Intel Trust Authority, simulated.</summary>
    public SimulatedVerifier Ita { get; }

    /// <summary>Loads the verifiers kept in <paramref name="directory"/>, creating them first if missing.</summary>
    public static SimulatedVerifierStore OpenOrCreate(string directory)
    {
        AgentFiles.EnsureDirectory(directory);
        var loaded = Verifiers.Select(v => Open(directory, v.Name, v.Issuer)).ToArray();
        return new SimulatedVerifierStore(loaded[0], loaded[1], loaded[2]);
    }

    /// <summary>
    /// The control plane settings that trust these verifiers, as command-line arguments, issuers numbered from
    /// <paramref name="firstIndex"/>.
    /// </summary>
    public static IEnumerable<string> IssuerSettings(string directory, int firstIndex)
    {
        using var store = OpenOrCreate(directory);
        for (var i = 0; i < Verifiers.Length; i++)
        {
            var (name, format, issuer) = Verifiers[i];
            var prefix = $"--FactoryMesh:Attestation:Issuers:{firstIndex + i}";
            yield return $"{prefix}:Format={format}";
            yield return $"{prefix}:Issuer={issuer}";
            yield return $"{prefix}:JwksPath={JwksPath(directory, name)}";
        }
    }

    private static SimulatedVerifier Open(string directory, string name, string issuer)
    {
        var keyPath = Path.Combine(directory, $"verifier-{name}.pem");
        if (!File.Exists(keyPath))
        {
            using var created = SimulatedVerifier.CreateEcdsa(issuer, $"sim-{name}-1");
            AgentFiles.TryCreateSecret(keyPath, created.ExportPem());
        }

        var verifier = SimulatedVerifier.FromPem(issuer, File.ReadAllText(keyPath), $"sim-{name}-1");
        var jwksPath = JwksPath(directory, name);
        if (!File.Exists(jwksPath) || File.ReadAllText(jwksPath) != verifier.JwksJson)
        {
            AgentFiles.WritePublic(jwksPath, verifier.JwksJson);
        }

        return verifier;
    }

    private static string JwksPath(string directory, string name) => Path.Combine(directory, $"verifier-{name}.jwks.json");

    /// <inheritdoc />
    public void Dispose()
    {
        Nras.Dispose();
        Trustee.Dispose();
        Ita.Dispose();
    }
}
