using System.Text.Json;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Simulation;
using FactoryMesh.SiteAgent.Sites;
using Microsoft.Extensions.Configuration;

namespace FactoryMesh.SiteAgent.Verbs;

/// <summary>
/// The agent's one-shot commands, for the people and scripts that set a site up: they print what the control plane's
/// operator needs (the vendor root to trust, reference values, the site's profile), and change nothing remote.
/// </summary>
internal static class AgentVerbs
{
    /// <summary>Runs <paramref name="verb"/> with <paramref name="args"/>; the process exit code.</summary>
    public static int Run(string verb, string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var options = new AgentOptions();
        new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args, AgentCommandLine.SwitchMappings).Build()
            .GetSection(AgentOptions.Section).Bind(options);
        switch (verb)
        {
            case "vendor-root":
                using (VendorAuthorityStore.OpenOrCreate(options.VendorDirectoryFullPath, TimeProvider.System))
                {
                    output.WriteLine(VendorAuthorityStore.RootCertificatePath(options.VendorDirectoryFullPath));
                }

                return 0;
            case "verifier-issuers":
                var first = new ConfigurationBuilder().AddCommandLine(args).Build().GetValue("first-index", 0);
                foreach (var line in SimulatedVerifierStore.IssuerSettings(options.VendorDirectoryFullPath, first))
                {
                    output.WriteLine(line);
                }

                return 0;
            case "tee-key":
                return TeeKeyVerb.Run(args, output);
            case "reference-values":
                output.WriteLine(SimulatedMeasurements.AppraisalPolicyJson());
                return 0;
            case "site-request":
                if (options.SiteFile is null)
                {
                    throw new InvalidSiteFileException("site-request needs --site FILE.");
                }

                output.WriteLine(JsonSerializer.Serialize(SiteFile.Load(options.SiteFile).ToProfileBody(), ControlPlaneJson.Options));
                return 0;
            default:
                throw new ArgumentException($"Unknown command '{verb}'.", nameof(verb));
        }
    }
}
