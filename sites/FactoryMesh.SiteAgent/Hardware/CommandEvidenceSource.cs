using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.Options;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// Evidence from an external attestation client (NVIDIA's <c>nvattest</c>, an Intel Trust Authority or Trustee client, a
/// script combining them): run once per challenge with the nonce, it prints a verifier's result that the control plane
/// verifies against the verifier's keys. What it prints is evidence and is never logged.
/// </summary>
internal sealed class CommandEvidenceSource(IOptions<EvidenceCommandOptions> options) : IEvidenceSource
{
    /// <inheritdoc />
    public string Format => options.Value.Format;

    /// <inheritdoc />
    public async Task<string> CreateAsync(string nodeId, string nonce, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var command = settings.Command ?? throw new EvidenceUnavailableException($"{EvidenceCommandOptions.Section}:Command is not configured.");
        var nonceSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(nonce)));
        var arguments = settings.Arguments.Select(a => a
            .Replace("{nonce}", nonce, StringComparison.Ordinal).Replace("{nonceSha256}", nonceSha256, StringComparison.Ordinal).Replace("{nodeId}", nodeId, StringComparison.Ordinal));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FACTORYMESH_NONCE"] = nonce, ["FACTORYMESH_NONCE_SHA256"] = nonceSha256, ["FACTORYMESH_NODE_ID"] = nodeId,
        };
        CommandResult result;
        try
        {
            result = await ExternalCommand.RunAsync(command, arguments, environment, TimeSpan.FromSeconds(settings.TimeoutSeconds), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or FileNotFoundException or IOException)
        {
            throw new EvidenceUnavailableException($"The attestation client failed: {exception.Message}", exception);
        }

        if (result.ExitCode != 0)
        {
            throw new EvidenceUnavailableException($"The attestation client exited with code {result.ExitCode}.");
        }

        var evidence = result.StandardOutput.Trim();
        if (settings.Format is EvidenceFormats.NvidiaEat or EvidenceFormats.Composite)
        {
            try
            {
                using var _ = System.Text.Json.JsonDocument.Parse(evidence);
            }
            catch (System.Text.Json.JsonException)
            {
                throw new EvidenceUnavailableException($"The attestation client did not print JSON ({settings.Format}).");
            }

            return evidence;
        }

        if (evidence.Length == 0 || evidence.Count(c => c == '.') != 2 || evidence.Any(char.IsWhiteSpace))
        {
            throw new EvidenceUnavailableException("The attestation client did not print one compact JWT.");
        }

        return evidence;
    }
}
