using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Cli.Commands.Model;

/// <summary>
/// <c>fmctl model encrypt</c>: turns a model's weights into an encrypted artifact (<c>.fma</c>) under a fresh data
/// key from the server, so the plaintext weights never leave the machine they are on and the plaintext key never
/// leaves fmctl's memory. What the model needs recorded (the plaintext's SHA-256 and the wrapped key) is printed,
/// or with <c>--register</c> attached to the model at once.
/// </summary>
internal static class ModelCommand
{
    /// <summary>What the encrypted artifact's file name ends with unless <c>--out</c> says otherwise.</summary>
    public const string ArtifactExtension = ".fma";

    public static Command Create(GlobalOptions globals)
    {
        var model = new Command("model", "Model artifacts: encrypt weights for a tenant before they are uploaded");
        model.Subcommands.Add(Encrypt(globals));
        return model;
    }

    private static Command Encrypt(GlobalOptions globals)
    {
        var file = new Argument<string>("file") { Description = "The plaintext weights to encrypt" };
        var tenant = new Option<string>("--tenant") { Description = "The tenant whose key encrypts the artifact, e.g. acme", HelpName = "tenantId", Required = true };
        var output = new Option<string?>("--out") { Description = $"Where the encrypted artifact goes [default: <file>{ArtifactExtension}]", HelpName = "file" };
        var force = new Option<bool>("--force") { Description = "Overwrite the output if it exists" };
        var register = new Option<string?>("--register") { Description = "Also attach the artifact to this existing model of the tenant", HelpName = "modelId" };
        var artifactUri = new Option<string?>("--artifact-uri") { Description = "Where the artifact will be fetched from, an absolute URI (with --register)", HelpName = "URI" };
        var encrypt = new Command("encrypt", "Encrypt a model's weights under a fresh data key; prints the plaintext SHA-256 and the wrapped key, never the key")
        {
            file, tenant, output, force, register, artifactUri,
        };
        encrypt.Validators.Add(result =>
        {
            if ((result.GetValue(register) is null) != (result.GetValue(artifactUri) is null))
            {
                result.AddError("--register and --artifact-uri go together: the model's artifact record needs both.");
            }
        });
        encrypt.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            // Everything local is checked before the server is asked for a key, so a typo costs no key.
            var input = Path.GetFullPath(parse.GetRequiredValue(file));
            if (!File.Exists(input))
            {
                throw new CliFailure(ExitCodes.Usage, $"no such file: {input}");
            }

            var target = Path.GetFullPath(parse.GetValue(output) ?? input + ArtifactExtension);
            var overwrite = parse.GetValue(force);
            if (string.Equals(target, input, StringComparison.Ordinal))
            {
                throw new CliFailure(ExitCodes.Usage, $"the output would replace the input: {input}");
            }

            if (File.Exists(target) && !overwrite)
            {
                throw new CliFailure(ExitCodes.Usage, $"{target} exists; pass --force to overwrite it, or --out another file");
            }

            var tenantId = parse.GetRequiredValue(tenant);
            var modelId = parse.GetValue(register);
            var spec = modelId is null ? (JsonElement?)null : await SpecOfAsync(session, tenantId, modelId, cancellationToken);

            var dataKey = await session.Api.PostAsync(ApiPaths.DataKeys(tenantId), cancellationToken);
            var wrappedKey = dataKey.Text("wrappedKey");
            var encrypted = await EncryptAsync(input, target, overwrite, dataKey.Text("key"), cancellationToken);

            if (modelId is not null && spec is { } definition)
            {
                var body = new
                {
                    GpuMemoryGiB = definition.Field("gpuMemoryGiB"),
                    TokensPerSecondByGpu = definition.Field("tokensPerSecondByGpu"),
                    Replicas = definition.Field("replicas"),
                    MinSites = definition.Field("minSites"),
                    Artifact = new { Uri = parse.GetValue(artifactUri), Sha256 = encrypted.PlaintextSha256, WrappedKey = wrappedKey },
                };
                await session.Api.PutAsync(ApiPaths.Model(tenantId, modelId), body, cancellationToken);
            }

            var result = JsonText.ToElement(new
            {
                Sha256 = encrypted.PlaintextSha256,
                WrappedKey = wrappedKey,
                Output = target,
                PlaintextBytes = encrypted.PlaintextLength,
                Registered = modelId is null ? null : $"{tenantId}/{modelId}",
            });
            session.Output.Show(WithoutNulls(result), PropertySheetView.Instance);
        });
        return encrypt;
    }

    // The model's current spec, so that --register replaces only its artifact (PUT replaces the whole definition).
    private static async Task<JsonElement> SpecOfAsync(CommandSession session, string tenantId, string modelId, CancellationToken cancellationToken)
    {
        var model = await session.Api.GetAsync(ApiPaths.Model(tenantId, modelId), cancellationToken);
        return model.Field("spec") ?? throw new CliFailure(ExitCodes.Refused, $"the server's answer for model '{tenantId}/{modelId}' has no spec");
    }

    // The key lives in one pinned buffer (the GC never copies it elsewhere) that is zeroed as soon as the artifact is
    // sealed; the artifact is written beside the target and moved into place whole, so a failure leaves no half file.
    private static async Task<ArtifactEncryptionResult> EncryptAsync(string input, string target, bool overwrite, string keyText, CancellationToken cancellationToken)
    {
        var key = GC.AllocateArray<byte>(ArtifactCipher.DataKeySize, pinned: true);
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            if (!Convert.TryFromBase64String(keyText, key, out var written) || written != ArtifactCipher.DataKeySize)
            {
                throw new CliFailure(ExitCodes.Refused, "the server's data key is not a base64 AES-256 key; is --server pointing at FactoryMesh?");
            }

            ArtifactEncryptionResult result;
            await using (var plaintext = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await using (var ciphertext = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous))
            {
                result = await ArtifactCipher.EncryptAsync(plaintext, ciphertext, key, cancellationToken);
            }

            File.Move(partial, target, overwrite);
            return result;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.Usage, $"cannot encrypt {input} to {target}: {exception.Message}", exception);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            File.Delete(partial);
        }
    }

    private static JsonElement WithoutNulls(JsonElement result) => JsonText.ToElement(
        result.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));
}
