namespace FactoryMesh.Storage.GroupCommit;

/// <summary>The engine-specific SQL of the partitioned grain state table.</summary>
internal interface IStateRowStore : IAsyncDisposable
{
    /// <summary>The rows of those of <paramref name="grainIds"/> that were ever written (distinct ids), in one query.</summary>
    Task<IReadOnlyList<StateRow>> ReadManyAsync(string serviceId, IReadOnlyList<string> grainIds, CancellationToken cancellationToken);

    /// <summary>Every row of one partition.</summary>
    Task<IReadOnlyList<StateRow>> ReadPartitionAsync(string serviceId, string partitionKey, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="writes"/> in one transaction, each under its own version check, and answers each
    /// one's new version (null for a conflict, which fails that write only). Throws when the transaction fails.
    /// </summary>
    Task<long?[]> CommitAsync(string serviceId, IReadOnlyList<PendingWrite> writes, CancellationToken cancellationToken);
}
