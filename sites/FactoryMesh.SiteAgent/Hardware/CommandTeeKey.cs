using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Configuration;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// A real TEE's key behind <c>--tee-key-command</c> (see <see cref="TeeKeyCommandOptions"/>): the agent asks the program
/// for the public key once, at discovery, and hands it each released JWE to open. What the program prints for
/// <c>unwrap</c> is key material and is never logged.
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
    public async Task<byte[]> UnwrapAsync(string jwe, CancellationToken cancellationToken)
    {
        string output;
        try
        {
            output = await RunAsync(_options, _nodeId, "unwrap", jwe, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            throw new CryptographicException(exception.Message, exception);
        }

        try
        {
            return Convert.FromBase64String(output.Trim());
        }
        catch (FormatException exception)
        {
            throw new CryptographicException("The TEE key command's 'unwrap' did not print a base64 key.", exception);
        }
    }

    private static async Task<string> RunAsync(TeeKeyCommandOptions options, string nodeId, string verb, string? input, CancellationToken cancellationToken)
    {
        var command = options.Command ?? throw new InvalidOperationException($"{TeeKeyCommandOptions.Section}:Command is not configured.");
        CommandResult result;
        try
        {
            result = await ExternalCommand.RunAsync(
                command, [.. options.Arguments, verb], new Dictionary<string, string>(StringComparer.Ordinal) { ["FACTORYMESH_NODE_ID"] = nodeId },
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
