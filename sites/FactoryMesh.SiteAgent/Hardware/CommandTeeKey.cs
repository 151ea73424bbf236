using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Configuration;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// A real TEE's key behind <c>--tee-key-command</c> (see <see cref="TeeKeyCommandOptions"/>): the agent asks the program
/// for the public key once, at discovery, and hands it each released JWE with the artifact to open: the data key is
/// used inside the TEE and never reaches the agent.
/// </summary>
internal sealed class CommandTeeKey : ITeeKey
{
    private readonly TeeKeyCommandOptions _options;
    private readonly string _nodeId;

    private CommandTeeKey(TeeKeyCommandOptions options, string nodeId, JsonObject publicJwk)
    {
        _options = options;
        _nodeId = nodeId;
        PublicJwk = publicJwk;
    }

    /// <inheritdoc />
    public JsonObject PublicJwk { get; }

    /// <summary>Asks the program for <paramref name="nodeId"/>'s public key; throws <see cref="InvalidOperationException"/> when it gives none.</summary>
    public static async Task<CommandTeeKey> OpenAsync(TeeKeyCommandOptions options, string nodeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = await RunAsync(options, nodeId, "public-key", null, cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonNode.Parse(output) is JsonObject jwk && jwk["kty"]?.GetValueKind() == JsonValueKind.String && jwk["d"] is null)
            {
                return new CommandTeeKey(options, nodeId, jwk);
            }
        }
        catch (JsonException)
        {
        }

        throw new InvalidOperationException($"The TEE key command's 'public-key' did not print a public JWK object.");
    }

    /// <inheritdoc />
    public async Task<string> OpenArtifactAsync(string jwe, string ciphertextPath, string plaintextPath, CancellationToken cancellationToken)
    {
        string output;
        try
        {
            output = await RunAsync(_options, _nodeId, "open", jwe, cancellationToken, ciphertextPath, plaintextPath).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            throw new CryptographicException(exception.Message, exception);
        }

        var digest = output.Trim();
        return digest.Length == 64 && digest.All(char.IsAsciiHexDigit)
            ? digest
            : throw new CryptographicException("The TEE key command's 'open' did not print the plaintext's SHA-256.");
    }

    private static async Task<string> RunAsync(TeeKeyCommandOptions options, string nodeId, string verb, string? input, CancellationToken cancellationToken, params string[] operands)
    {
        var command = options.Command ?? throw new InvalidOperationException($"{TeeKeyCommandOptions.Section}:Command is not configured.");
        CommandResult result;
        try
        {
            result = await ExternalCommand.RunAsync(
                command, [.. options.Arguments, verb, .. operands], new Dictionary<string, string>(StringComparer.Ordinal) { ["FACTORYMESH_NODE_ID"] = nodeId },
                TimeSpan.FromSeconds(options.TimeoutSeconds), cancellationToken, input).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or FileNotFoundException or IOException)
        {
            throw new InvalidOperationException($"The TEE key command failed: {exception.Message}", exception);
        }

        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"The TEE key command's '{verb}' exited with code {result.ExitCode}.");
    }
}
