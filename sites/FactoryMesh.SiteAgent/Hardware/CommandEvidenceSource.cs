using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>
/// Evidence from an external attestation client (a verifier's CLI, a Confidential Containers attestation agent):
/// run once per challenge with the nonce, it prints an EAT token that the control plane verifies against the
/// issuer's keys. What it prints is evidence and is never logged.
/// </summary>
internal sealed class CommandEvidenceSource(IOptions<EvidenceCommandOptions> options) : IEvidenceSource
{
    /// <inheritdoc />
    public string Format => EvidenceFormats.EatJwt;

    /// <inheritdoc />
    public async Task<string> CreateAsync(string nodeId, string nonce, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var command = settings.Command ?? throw new EvidenceUnavailableException($"{EvidenceCommandOptions.Section}:Command is not configured.");
        var arguments = settings.Arguments.Select(a => a.Replace("{nonce}", nonce, StringComparison.Ordinal).Replace("{nodeId}", nodeId, StringComparison.Ordinal));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["FACTORYMESH_NONCE"] = nonce, ["FACTORYMESH_NODE_ID"] = nodeId };
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

        var token = result.StandardOutput.Trim();
        if (token.Length == 0 || token.Count(c => c == '.') != 2 || token.Any(char.IsWhiteSpace))
        {
            throw new EvidenceUnavailableException("The attestation client did not print one compact JWT.");
        }

        return token;
    }
}
