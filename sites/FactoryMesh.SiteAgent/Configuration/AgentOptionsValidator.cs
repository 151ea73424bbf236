using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>Refuses to start on settings that cannot work, naming every problem at once.</summary>
internal sealed class AgentOptionsValidator(IOptions<HardwareOptions> hardware, IOptions<EvidenceCommandOptions> evidence) : IValidateOptions<AgentOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.ServerUrls.Count == 0 || options.ServerUrls.Any(url => !Uri.TryCreate(url, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https")))
        {
            problems.Add($"{AgentOptions.Section}:ServerUrl (--server) must be an http or https URL, or several separated by commas; it is '{options.ServerUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Token) == string.IsNullOrWhiteSpace(options.TokenFile))
        {
            problems.Add($"Give exactly one of {AgentOptions.Section}:Token (--token) and {AgentOptions.Section}:TokenFile (--token-file).");
        }
        else if (options.TokenFile is { Length: > 0 } tokenFile && !File.Exists(tokenFile))
        {
            problems.Add($"The token file '{tokenFile}' does not exist.");
        }

        if (string.IsNullOrWhiteSpace(options.SiteFile))
        {
            problems.Add($"{AgentOptions.Section}:SiteFile (--site) is required: the site's JSON file.");
        }
        else if (!File.Exists(options.SiteFile))
        {
            problems.Add($"The site file '{options.SiteFile}' does not exist.");
        }

        if (options.Simulate is < 0 or > 10_000)
        {
            problems.Add($"{AgentOptions.Section}:Simulate (--simulate) must be between 0 (real hardware) and 10000 nodes.");
        }

        if (!Simulation.SimulatedResultFormat.All.Contains(options.SimulateFormat))
        {
            problems.Add($"{AgentOptions.Section}:SimulateFormat (--simulate-format) must be one of {string.Join(", ", Simulation.SimulatedResultFormat.All)}; it is '{options.SimulateFormat}'.");
        }

        if (!options.IsSimulated)
        {
            if (string.IsNullOrWhiteSpace(hardware.Value.TeeKind))
            {
                problems.Add($"On real hardware {HardwareOptions.Section}:TeeKind is required (TDX, SEV-SNP or CCA).");
            }

            if (string.IsNullOrWhiteSpace(evidence.Value.Command))
            {
                problems.Add($"On real hardware {EvidenceCommandOptions.Section}:Command is required: the attestation client that prints an EAT token.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
