using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using FactoryMesh.Storage;

namespace FactoryMesh.Cli.Commands.Db;

/// <summary>
/// <c>fmctl db init</c>: installs or upgrades the control plane's schema in its database, as its own step — before the
/// silos start with <c>FactoryMesh:InstallSchema=false</c>, from a machine or init container holding rights the silos
/// need not have. <c>--check</c> only reports what is not installed. Talks to the database, never to the server.
/// </summary>
internal static class DbCommand
{
    /// <summary>The environment variable the connection string is read from when <c>--connection-string</c> is not given.</summary>
    public const string ConnectionStringVariable = "ConnectionStrings__FactoryMesh";

    public static Command Create(GlobalOptions globals)
    {
        var db = new Command("db", "The control plane's database: install or upgrade its schema");
        db.Subcommands.Add(Init(globals));
        return db;
    }

    private static Command Init(GlobalOptions globals)
    {
        var storage = new Option<StorageEngine>("--storage") { Description = "Sqlite or PostgreSql [default: PostgreSql]", DefaultValueFactory = _ => StorageEngine.PostgreSql };
        var connectionString = new Option<string?>("--connection-string")
        {
            Description = $"The database's connection string [default: ${ConnectionStringVariable}, which keeps a password off the process list]",
            HelpName = "string",
        };
        var check = new Option<bool>("--check") { Description = "Only report the scripts not yet run; exit 1 when any is" };
        var init = new Command("init", "Install or upgrade the schema (every script is idempotent); --check only reports")
        {
            storage, connectionString, check,
        };
        init.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var engine = parse.GetValue(storage);
            var target = parse.GetValue(connectionString) ?? Environment.GetEnvironmentVariable(ConnectionStringVariable);
            if (string.IsNullOrWhiteSpace(target))
            {
                throw new CliFailure(ExitCodes.Usage, $"no database given: pass --connection-string or set {ConnectionStringVariable}");
            }

            try
            {
                var pending = await SchemaInstaller.PendingScriptsAsync(engine, target, cancellationToken);
                if (!parse.GetValue(check))
                {
                    await SchemaInstaller.InstallAsync(engine, target, cancellationToken);
                }

                var scripts = SchemaScript.For(engine).Count;
                session.Output.ShowValue(
                    JsonSerializer.SerializeToElement(new { engine = engine.ToString(), scripts, pending, installed = !parse.GetValue(check) }),
                    parse.GetValue(check)
                        ? pending.Count == 0 ? $"schema is current: {scripts} scripts" : $"{pending.Count} of {scripts} scripts not run: {string.Join(", ", pending)}"
                        : $"schema installed: {scripts} scripts, {pending.Count} of them new or changed");
                return parse.GetValue(check) && pending.Count > 0 ? ExitCodes.Refused : ExitCodes.Success;
            }
            catch (Exception exception) when (exception is DbException or ArgumentException or InvalidOperationException)
            {
                // The provider's own words (never the connection string, which may hold a password).
                throw new CliFailure(ExitCodes.Unreachable, $"the database refused or could not be reached: {exception.Message}", exception);
            }
        });
        return init;
    }
}
