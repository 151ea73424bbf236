using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FactoryMesh.Storage;

/// <summary>
/// Installs the project's own schema (the Orleans query table, grain storage, reminders, clustering for
/// PostgreSQL, the audit log, the cluster's secrets) into an empty or existing database, and records each script's
/// hash. Every script is idempotent, so installing again upgrades: by default a server installs on every start (an
/// upgraded server brings its query texts with it), or, with installation off, checks that <c>fmctl db init</c> has;
/// concurrent installers (several silos starting at once) serialize on a database lock.
/// </summary>
public static class SchemaInstaller
{
    // Any fixed 64-bit number: the advisory lock every silo takes while it installs the PostgreSQL schema.
    private const long PostgreSqlInstallLockId = 0x46_4D_53_43_48_45_4D_41;

    /// <summary>Runs every script of <paramref name="engine"/> against <paramref name="connectionString"/>.</summary>
    public static async Task InstallAsync(StorageEngine engine, string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = OpenConnection(engine, connectionString);
        await connection.OpenAsync(cancellationToken);

        if (engine == StorageEngine.Sqlite)
        {
            // WAL lets the API read while the silo writes; it is a property of the file, so set it outside the transaction.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (engine == StorageEngine.PostgreSql)
        {
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgreSqlInstallLockId});", cancellationToken);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var script in SchemaScript.For(engine))
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText =
                "INSERT INTO SchemaScriptApplied (Name, Sha256, AppliedAtUnixMs) VALUES (@Name, @Sha256, @At) " +
                "ON CONFLICT (Name) DO UPDATE SET Sha256 = excluded.Sha256, AppliedAtUnixMs = excluded.AppliedAtUnixMs";
            record.Add("Name", script.Name);
            record.Add("Sha256", script.Sha256);
            record.Add("At", now);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The scripts this code carries that the database has not run in their current form (all of them on an empty database).</summary>
    public static async Task<IReadOnlyList<string>> PendingScriptsAsync(StorageEngine engine, string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await StorageCommands.OpenAsync(engine, connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Name, Sha256 FROM SchemaScriptApplied";
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }
        catch (DbException) when (applied.Count == 0)
        {
            // No history table: nothing of this schema was installed.
        }

        return SchemaScript.For(engine).Where(s => !applied.TryGetValue(s.Name, out var hash) || hash != s.Sha256).Select(s => s.Name).ToList();
    }

    /// <summary>
    /// Installs the schema when <paramref name="install"/>, else checks it is installed in this code's version.
    /// </summary>
    /// <exception cref="InvalidOperationException">Installation is off and scripts are pending; the message names them and the command that runs them.</exception>
    public static async Task PrepareAsync(StorageEngine engine, string connectionString, bool install, CancellationToken cancellationToken = default)
    {
        if (install)
        {
            await InstallAsync(engine, connectionString, cancellationToken);
            return;
        }

        var pending = await PendingScriptsAsync(engine, connectionString, cancellationToken);
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema is not at this server's version ({pending.Count} script(s) not run: {string.Join(", ", pending)}); " +
                "run `fmctl db init` against it, or start with FactoryMesh:InstallSchema=true.");
        }
    }

    /// <summary>A new, unopened connection of the engine's ADO.NET provider.</summary>
    public static DbConnection OpenConnection(StorageEngine engine, string connectionString) => engine switch
    {
        StorageEngine.Sqlite => new SqliteConnection(connectionString),
        StorageEngine.PostgreSql => new NpgsqlConnection(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown storage engine."),
    };

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
