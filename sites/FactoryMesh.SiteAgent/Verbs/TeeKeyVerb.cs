using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FactoryMesh.SiteAgent.Simulation;
using FactoryMesh.SiteAgent.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.SiteAgent.Verbs;

/// <summary>
/// <c>tee-key public-key|unwrap --key-file FILE</c>: the <c>--tee-key-command</c> protocol, played by a P-384 key kept
/// in a file (created 0600 on first use). It is what a real TEE's program does with a key that never leaves the TEE;
/// here the "TEE" is the file, so it is for trying the interface and for tests, not for production.
/// </summary>
internal static class TeeKeyVerb
{
    /// <summary>Runs the verb; the process exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var action = args.FirstOrDefault(a => a is "public-key" or "unwrap")
            ?? throw new ArgumentException("tee-key needs 'public-key' or 'unwrap'.", nameof(args));
        var keyFile = new ConfigurationBuilder().AddCommandLine([.. args.Where(a => a != action)]).Build()["key-file"]
            ?? throw new ArgumentException("tee-key needs --key-file FILE.", nameof(args));
        using var key = Open(Path.GetFullPath(keyFile));
        if (action == "public-key")
        {
            var q = key.ExportParameters(includePrivateParameters: false).Q;
            output.WriteLine(new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = Base64UrlEncoder.Encode(q.X), ["y"] = Base64UrlEncoder.Encode(q.Y) }.ToJsonString());
            return 0;
        }

        var jwe = Console.In.ReadToEnd().Trim();
        var dataKey = SimulatedEvidenceSource.Unwrap(key, jwe);
        try
        {
            output.WriteLine(Convert.ToBase64String(dataKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        return 0;
    }

    private static ECDsa Open(string path)
    {
        if (!File.Exists(path))
        {
            AgentFiles.EnsureDirectory(Path.GetDirectoryName(path)!);
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            AgentFiles.TryCreateSecret(path, created.ExportPkcs8PrivateKeyPem());
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}
