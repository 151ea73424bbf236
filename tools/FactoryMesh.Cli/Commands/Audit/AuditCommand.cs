using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Audit;

/// <summary><c>fmctl audit list | verify</c>: the append-only, hash-chained trust and key-release ledger.</summary>
internal static class AuditCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var audit = new Command("audit", "The append-only trust and key-release ledger (needs an operator token)");
        audit.Subcommands.Add(List(globals));
        audit.Subcommands.Add(Verify(globals));
        audit.Subcommands.Add(PublicKey(globals));
        return audit;
    }

    private static Command List(GlobalOptions globals)
    {
        var node = new Option<string?>("--node") { Description = "Only records about this node", HelpName = "nodeId" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only records from this time on (RFC 3339, e.g. 2026-01-31T12:00:00Z)", HelpName = "time", CustomParser = ParseTime };
        var limit = new Option<int?>("--limit") { Description = "At most this many records, 1 to 1000 [server default: 100]", HelpName = "n" };
        var list = new Command("list", "Ledger records, oldest first") { node, since, limit };
        list.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var path = ApiPaths.Audit(parse.GetValue(node), parse.GetValue(since), parse.GetValue(limit));
            session.Output.Show(await session.Api.GetAsync(path, cancellationToken), AuditViews.List);
        });
        return list;
    }

    private static Command Verify(GlobalOptions globals)
    {
        var publicKey = new Option<FileInfo?>("--public-key")
        {
            Description = "Verify here instead of asking the server: every record and the signed head against this audit public key (PEM, from 'fmctl audit public-key')",
            HelpName = "file",
        };
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "With --public-key: a checkpoint kept outside the database (the data folder's audit-checkpoint.json) the ledger must still reach",
            HelpName = "file",
        };
        var verify = new Command("verify", $"Check the ledger's hash chain and signed head; exit code {ExitCodes.LedgerBroken} when it is broken") { publicKey, checkpoint };
        verify.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var verification = parse.GetValue(publicKey) is { } keyFile
                ? JsonSerializer.SerializeToElement(await OfflineLedger.VerifyAsync(session.Api, keyFile, parse.GetValue(checkpoint), cancellationToken), OfflineLedger.Json)
                : await session.Api.GetAsync(ApiPaths.AuditVerify, cancellationToken);
            session.Output.Show(verification, PropertySheetView.Instance);
            if (verification.Field("intact") is not { ValueKind: JsonValueKind.True })
            {
                throw new CliFailure(ExitCodes.LedgerBroken,
                    $"the audit ledger is broken at record {verification.Text("brokenAt")}: {verification.Text("problem")}");
            }

            return ExitCodes.Success;
        });
        return verify;
    }

    private static Command PublicKey(GlobalOptions globals)
    {
        var command = new Command("public-key", "The audit public key (PEM): keep a copy to verify the ledger later with 'audit verify --public-key'");
        command.SetSessionAction(globals, async (session, _, cancellationToken) =>
        {
            var key = await session.Api.GetAsync(ApiPaths.AuditPublicKey, cancellationToken);
            session.Output.Show(key, PropertySheetView.Instance);
        });
        return command;
    }

    // RFC 3339 only: a time in the machine's local conventions would filter differently on another machine.
    private static DateTimeOffset? ParseTime(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.OrdinalIgnoreCase))
        {
            return time;
        }

        result.AddError($"--since: '{text}' is not an RFC 3339 time, e.g. 2026-01-31T12:00:00Z.");
        return null;
    }
}
