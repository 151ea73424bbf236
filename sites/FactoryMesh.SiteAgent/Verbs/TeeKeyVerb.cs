using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.SiteAgent.Verbs;

/// <summary>
/// <c>tee-key public-key | open CIPHERTEXT PLAINTEXT --key-file FILE</c>: the <c>--tee-key-command</c> protocol, played by a P-384 key kept
/// in a file (created 0600 on first use). It is what a real TEE's program does with a key that never leaves the TEE;
/// here the "TEE" is the file, so it is for trying the interface and for tests, not for production.
/// </summary>
internal static class TeeKeyVerb
{
    /// <summary>Runs the verb; the process exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var at = Array.FindIndex(args, a => a is "public-key" or "open");
        if (at < 0)
        {
            throw new ArgumentException("tee-key needs 'public-key' or 'open CIPHERTEXT PLAINTEXT'.", nameof(args));
        }

        var operands = args[(at + 1)..].TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var keyFile = new ConfigurationBuilder().AddCommandLine([.. args[..at], .. args[(at + 1 + operands.Length)..]]).Build()["key-file"]
            ?? throw new ArgumentException("tee-key needs --key-file FILE.", nameof(args));
        using var key = Open(Path.GetFullPath(keyFile));
        if (args[at] == "public-key")
        {
            var q = key.ExportParameters(includePrivateParameters: false).Q;
            output.WriteLine(new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = Base64UrlEncoder.Encode(q.X), ["y"] = Base64UrlEncoder.Encode(q.Y) }.ToJsonString());
            return 0;
        }

        if (operands.Length != 2)
        {
            throw new ArgumentException("tee-key open needs CIPHERTEXT and PLAINTEXT.", nameof(args));
        }

        var jwe = Console.In.ReadToEnd().Trim();
        output.WriteLine(TeeArtifactOpener.OpenAsync(key, jwe, operands[0], operands[1], CancellationToken.None).GetAwaiter().GetResult());
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
