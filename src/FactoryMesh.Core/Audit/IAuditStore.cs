namespace FactoryMesh.Core.Audit;

/// <summary>Where the ledger's records and signed head are kept (the SQLite file or PostgreSQL).</summary>
public interface IAuditStore
{
    /// <summary>The signed head, or null for a ledger never written.</summary>
    Task<AuditHead?> ReadHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="record"/> and moves the head to <paramref name="head"/>, atomically; fails if the head moved meanwhile.</summary>
    Task AppendAsync(AuditRecord record, AuditHead head, CancellationToken cancellationToken = default);

    /// <summary>Records after <paramref name="afterSequence"/>, optionally of one node and since an instant, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAsync(string? nodeId, DateTimeOffset? since, long afterSequence, int limit, CancellationToken cancellationToken = default);
}
