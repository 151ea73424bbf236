using Npgsql;
using NpgsqlTypes;

namespace FactoryMesh.Storage.GroupCommit;

/// <summary>
/// The partitioned state table on PostgreSQL. A commit sends all of its statements as one Npgsql batch inside one
/// transaction: one round trip and one WAL flush for the whole group, with each statement's row count telling
/// which writes lost their version check.
/// </summary>
internal sealed class PostgreSqlStateRowStore(string connectionString) : IStateRowStore
{
    private const string InsertSql = """
        INSERT INTO PartitionedGrainState (ServiceId, GrainId, PartitionKey, Payload, Version, ModifiedAtUtc)
        VALUES ($1, $2, $3, $4, 1, now())
        ON CONFLICT (ServiceId, GrainId) DO NOTHING
        """;

    private const string UpdateSql = """
        UPDATE PartitionedGrainState
        SET Payload = $4, PartitionKey = $3, Version = Version + 1, ModifiedAtUtc = now()
        WHERE ServiceId = $1 AND GrainId = $2 AND Version = $5
        """;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task<IReadOnlyList<StateRow>> ReadManyAsync(string serviceId, IReadOnlyList<string> grainIds, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT GrainId, Payload, Version FROM PartitionedGrainState WHERE ServiceId = $1 AND GrainId = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. grainIds] });
        return await RowsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<StateRow>> ReadPartitionAsync(string serviceId, string partitionKey, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT GrainId, Payload, Version FROM PartitionedGrainState WHERE ServiceId = $1 AND PartitionKey = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partitionKey });
        return await RowsAsync(command, cancellationToken);
    }

    public async Task<long?[]> CommitAsync(string serviceId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var write in writes)
        {
            var command = new NpgsqlBatchCommand(write.ExpectedVersion is null ? InsertSql : UpdateSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.GrainId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.PartitionKey });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)write.Payload ?? DBNull.Value });
            if (write.ExpectedVersion is { } expected)
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var versions = new long?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            versions[i] = batch.BatchCommands[i].RecordsAffected == 1 ? (writes[i].ExpectedVersion ?? 0) + 1 : null;
        }

        return versions;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task<IReadOnlyList<StateRow>> RowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StateRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Row(reader));
        }

        return rows;
    }

    private static StateRow Row(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.GetInt64(2));
}
