using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FactoryMesh.Storage;

/// <summary>
/// Installs the project's own schema (the Orleans query table, grain storage, reminders, clustering for
/// PostgreSQL, the audit log) into an empty or existing database. Every script is idempotent and runs on
/// every start, so an upgraded server brings its query texts with it; concurrent installers (several silos
/// starting at once) serialize on a database lock.
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

        foreach (var script in SchemaScript.For(engine))
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
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
