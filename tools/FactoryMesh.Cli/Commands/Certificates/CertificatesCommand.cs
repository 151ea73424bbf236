using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Certificates;

/// <summary><c>fmctl certificates revoke</c>: distrust a TEE device certificate and every node attested with it.</summary>
internal static class CertificatesCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var certificates = new Command("certificates", "TEE device certificates (needs an operator token)");
        certificates.Subcommands.Add(Revoke(globals));
        return certificates;
    }

    private static Command Revoke(GlobalOptions globals)
    {
        var certificate = new Argument<string>("certificate") { Description = "The device certificate's SHA-256 thumbprint or serial number, in hex" };
        var reason = CommonSymbols.Reason();
        var revoke = new Command("revoke", "Revoke a device certificate; nodes attested with it become Untrusted at once") { certificate, reason };
        revoke.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var body = new { Certificate = parse.GetRequiredValue(certificate), Reason = parse.GetRequiredValue(reason) };
            session.Output.Show(await session.Api.PostAsync(ApiPaths.CertificateRevocations, body, cancellationToken), PropertySheetView.Instance);
        });
        return revoke;
    }
}
