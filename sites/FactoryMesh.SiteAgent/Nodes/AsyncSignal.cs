namespace FactoryMesh.SiteAgent.Nodes;

/// <summary>
/// A wake-up call for a loop: any number of <see cref="Set"/> calls while the loop is busy wake it once. Loops
/// re-check their state after waking, so a signal never needs to carry data.
/// </summary>
internal sealed class AsyncSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private readonly Lock _gate = new();

    /// <summary>Wakes the waiting loop, or the next one to wait.</summary>
    public void Set()
    {
        lock (_gate)
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/>; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _semaphore.Dispose();
}
