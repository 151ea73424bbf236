using Microsoft.Extensions.Logging;

namespace FactoryMesh.Grains;

/// <summary>
/// Writes one grain's persistent state, one write at a time, in the order asked, as Orleans' version checks require.
/// <see cref="WriteAsync"/> is for changes the caller must not be told of before they are durable (registration,
/// trust); <see cref="WriteBehind"/> is for changes nobody waits for (liveness seen on a heartbeat or a timer): it
/// returns at once, and requests made while one is queued share that write. The storage serializes the state when
/// a write starts, so whatever changed before then is in it.
/// </summary>
/// <typeparam name="T">The state type.</typeparam>
internal sealed partial class OrderedStateWriter<T>(IPersistentState<T> state, ILogger logger)
{
    private Task _tail = Task.CompletedTask;
    private bool _behindQueued;

    /// <summary>True while a write is queued or running.</summary>
    public bool Busy => !_tail.IsCompleted;

    /// <summary>Writes the state after any write already asked for; completes when it is durable.</summary>
    public Task WriteAsync()
    {
        _tail = WriteAfterAsync(_tail);
        return _tail;
    }

    /// <summary>Asks for the state to be written soon, without waiting; a failure is logged, and the next write carries the change.</summary>
    public void WriteBehind()
    {
        if (_behindQueued)
        {
            return;
        }

        _behindQueued = true;
        _tail = WriteBehindAfterAsync(_tail);
    }

    /// <summary>Waits until every write asked for so far has finished.</summary>
    public async Task DrainAsync()
    {
        try
        {
            await _tail;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // already reported to whoever waited for it, or logged
        }
    }

    private async Task WriteAfterAsync(Task previous)
    {
        await DrainPreviousAsync(previous);
        await state.WriteStateAsync();
    }

    private async Task WriteBehindAfterAsync(Task previous)
    {
        await DrainPreviousAsync(previous);
        _behindQueued = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogWriteBehindFailed(exception);
        }
    }

    private static async Task DrainPreviousAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // the earlier write's own caller saw its failure; this one tries afresh
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A write-behind of grain state failed; the next write carries the change")]
    private partial void LogWriteBehindFailed(Exception exception);
}
