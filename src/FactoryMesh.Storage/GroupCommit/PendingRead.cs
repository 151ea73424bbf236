namespace FactoryMesh.Storage.GroupCommit;

/// <summary>One activation's read waiting for the next group of reads.</summary>
/// <param name="grainId">Orleans' grain id text.</param>
internal sealed class PendingRead(string grainId)
{
    private readonly TaskCompletionSource<StateRow?> _row = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string GrainId { get; } = grainId;

    /// <summary>The grain's row, or null when it was never written.</summary>
    public Task<StateRow?> Row => _row.Task;

    public void Complete(StateRow? row) => _row.TrySetResult(row);

    public void Fail(Exception exception) => _row.TrySetException(exception);
}
