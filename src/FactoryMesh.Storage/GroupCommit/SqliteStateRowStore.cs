using System.Globalization;
using Microsoft.Data.Sqlite;

namespace FactoryMesh.Storage.GroupCommit;

/// <summary>
/// The partitioned state table on SQLite. Commits go through one long-lived connection with prepared statements,
/// so there is exactly one writer and never a busy wait between writers of this table; reads take pooled
/// connections of their own, which WAL lets run beside the writer.
/// </summary>
internal sealed class SqliteStateRowStore(string connectionString) : IStateRowStore
{
    private const string InsertSql = """
        INSERT INTO PartitionedGrainState (ServiceId, GrainId, PartitionKey, Payload, Version, ModifiedAtUtc)
        VALUES ($service, $grain, $partition, $payload, 1, $now)
        ON CONFLICT (ServiceId, GrainId) DO NOTHING;
        """;

    private const string UpdateSql = """
        UPDATE PartitionedGrainState
        SET Payload = $payload, PartitionKey = $partition, Version = Version + 1, ModifiedAtUtc = $now
        WHERE ServiceId = $service AND GrainId = $grain AND Version = $version;
        """;

    private SqliteConnection? _writer;
    private SqliteCommand? _insert;
    private SqliteCommand? _update;

    public async Task<IReadOnlyList<StateRow>> ReadManyAsync(string serviceId, IReadOnlyList<string> grainIds, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$service", serviceId);
        var names = new string[grainIds.Count];
        for (var i = 0; i < grainIds.Count; i++)
        {
            names[i] = "$g" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(names[i], grainIds[i]);
        }

        command.CommandText = $"SELECT GrainId, Payload, Version FROM PartitionedGrainState WHERE ServiceId = $service AND GrainId IN ({string.Join(", ", names)});";
        return await RowsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<StateRow>> ReadPartitionAsync(string serviceId, string partitionKey, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainId, Payload, Version FROM PartitionedGrainState WHERE ServiceId = $service AND PartitionKey = $partition;";
        command.Parameters.AddWithValue("$service", serviceId);
        command.Parameters.AddWithValue("$partition", partitionKey);
        return await RowsAsync(command, cancellationToken);
    }

    public async Task<long?[]> CommitAsync(string serviceId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken)
    {
        var writer = await WriterAsync(cancellationToken);
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var versions = new long?[writes.Count];
        try
        {
            // BEGIN IMMEDIATE: the write lock is taken up front, so the transaction never fails half-way on a lock upgrade.
            await using var transaction = writer.BeginTransaction(deferred: false);
            _insert!.Transaction = transaction;
            _update!.Transaction = transaction;
            for (var i = 0; i < writes.Count; i++)
            {
                var write = writes[i];
                var command = write.ExpectedVersion is null ? _insert : _update;
                command.Parameters["$service"].Value = serviceId;
                command.Parameters["$grain"].Value = write.GrainId;
                command.Parameters["$partition"].Value = write.PartitionKey;
                command.Parameters["$payload"].Value = (object?)write.Payload ?? DBNull.Value;
                command.Parameters["$now"].Value = now;
                if (write.ExpectedVersion is { } expected)
                {
                    command.Parameters["$version"].Value = expected;
                }

                var changed = await command.ExecuteNonQueryAsync(cancellationToken);
                versions[i] = changed == 1 ? (write.ExpectedVersion ?? 0) + 1 : null;
            }

            await transaction.CommitAsync(cancellationToken);
            return versions;
        }
        catch
        {
            // The connection may be left mid-transaction or broken: the next batch opens a fresh one.
            await ResetWriterAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => ResetWriterAsync();

    private async Task<SqliteConnection> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return _writer;
        }

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        _insert = Prepare(connection, InsertSql, withVersion: false);
        _update = Prepare(connection, UpdateSql, withVersion: true);
        _writer = connection;
        return connection;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, bool withVersion)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$service", SqliteType.Text);
        command.Parameters.Add("$grain", SqliteType.Text);
        command.Parameters.Add("$partition", SqliteType.Text);
        command.Parameters.Add("$payload", SqliteType.Blob);
        command.Parameters.Add("$now", SqliteType.Text);
        if (withVersion)
        {
            command.Parameters.Add("$version", SqliteType.Integer);
        }

        return command;
    }

    private async ValueTask ResetWriterAsync()
    {
        if (_insert is not null)
        {
            await _insert.DisposeAsync();
        }

        if (_update is not null)
        {
            await _update.DisposeAsync();
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        (_writer, _insert, _update) = (null, null, null);
    }

    private static async Task<IReadOnlyList<StateRow>> RowsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StateRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Row(reader));
        }

        return rows;
    }

    private static StateRow Row(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1), reader.GetInt64(2));
}
