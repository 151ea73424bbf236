using System.Data.Common;
using FactoryMesh.Core.Audit;

namespace FactoryMesh.Storage;

/// <summary>The audit ledger in the same database as grain state, through plain ADO.NET on either engine.</summary>
public sealed class AuditStore(StorageEngine engine, string connectionString) : IAuditStore
{
    /// <inheritdoc />
    public async Task<AuditHead?> ReadHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Sequence, Hash, Signature FROM AuditHead WHERE Id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AuditHead(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <inheritdoc />
    public async Task AppendAsync(AuditRecord record, AuditHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(head);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The head moves only from the record before this one: a second writer (which the single ledger grain
        // rules out) would fail here rather than fork the chain.
        await using (var move = connection.CreateCommand())
        {
            move.Transaction = transaction;
            move.CommandText = record.Sequence == 1
                ? "INSERT INTO AuditHead (Id, Sequence, Hash, Signature) SELECT 1, @Sequence, @Hash, @Signature WHERE NOT EXISTS (SELECT 1 FROM AuditHead WHERE Id = 1)"
                : "UPDATE AuditHead SET Sequence = @Sequence, Hash = @Hash, Signature = @Signature WHERE Id = 1 AND Sequence = @Previous";
            move.Add("Sequence", head.Sequence);
            move.Add("Hash", head.Hash);
            move.Add("Signature", head.Signature);
            move.Add("Previous", record.Sequence - 1);
            if (await move.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"The audit head moved: record {record.Sequence} was not appended.");
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO AuditRecord (Sequence, NodeId, AtUnixMs, Body, PreviousHash, Hash) VALUES (@Sequence, @NodeId, @At, @Body, @PreviousHash, @Hash)";
            insert.Add("Sequence", record.Sequence);
            insert.Add("NodeId", (object?)record.NodeId ?? DBNull.Value);
            insert.Add("At", record.At.ToUnixTimeMilliseconds());
            insert.Add("Body", record.Body);
            insert.Add("PreviousHash", record.PreviousHash);
            insert.Add("Hash", record.Hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string? nodeId, DateTimeOffset? since, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT Sequence, NodeId, AtUnixMs, Body, PreviousHash, Hash FROM AuditRecord " +
            "WHERE Sequence > @After AND (@NodeId IS NULL OR NodeId = @NodeId) AND AtUnixMs >= @Since " +
            "ORDER BY Sequence LIMIT @Limit";
        command.Add("After", afterSequence);
        command.Add("NodeId", (object?)nodeId ?? DBNull.Value, System.Data.DbType.String);
        command.Add("Since", since?.ToUnixTimeMilliseconds() ?? long.MinValue);
        command.Add("Limit", limit);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5)));
        }

        return records;
    }

    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => StorageCommands.OpenAsync(engine, connectionString, cancellationToken);
}
