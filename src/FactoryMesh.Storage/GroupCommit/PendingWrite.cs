namespace FactoryMesh.Storage.GroupCommit;

/// <summary>
/// One grain's write waiting for the next group commit. The payload is serialized when the write is queued, so
/// the grain may go on changing its state object while the write waits.
/// </summary>
/// <param name="GrainId">Orleans' grain id text.</param>
/// <param name="PartitionKey">The partition the row is scanned with (a node's site).</param>
/// <param name="Payload">The serialized state; null clears it.</param>
/// <param name="ExpectedVersion">The version the grain last read or wrote; null for a row it has never seen.</param>
internal sealed class PendingWrite(string grainId, string partitionKey, byte[]? payload, long? expectedVersion)
{
    private readonly TaskCompletionSource<long?> _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string GrainId { get; } = grainId;

    public string PartitionKey { get; } = partitionKey;

    public byte[]? Payload { get; } = payload;

    public long? ExpectedVersion { get; } = expectedVersion;

    /// <summary>The new version once committed, or null when another writer moved the row on (a conflict).</summary>
    public Task<long?> Committed => _committed.Task;

    public void Complete(long? newVersion) => _committed.TrySetResult(newVersion);

    public void Fail(Exception exception) => _committed.TrySetException(exception);
}
