using System.Threading.Channels;

namespace FactoryMesh.Storage.GroupCommit;

/// <summary>
/// Gathers requests from many callers into batches for one consumer: whatever is queued when the consumer is free
/// (up to a maximum) goes as one batch. While one batch runs, the next gathers, so batches grow with the load and
/// a lone request goes at once. The handler completes or fails each request itself.
/// </summary>
/// <typeparam name="T">A request, carrying the completion its caller awaits.</typeparam>
internal sealed class MicroBatcher<T> : IAsyncDisposable
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<List<T>, Task> _handle;
    private readonly int _maxBatch;
    private readonly Task _consumer;

    public MicroBatcher(int maxBatch, Func<List<T>, Task> handle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _maxBatch = maxBatch;
        _handle = handle;
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>Queues <paramref name="request"/>; false once the batcher is shut down.</summary>
    public bool TryEnqueue(T request) => _queue.Writer.TryWrite(request);

    /// <summary>Stops taking requests and waits until every queued one is handled.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    private async Task ConsumeAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<T>();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            await _handle(batch).ConfigureAwait(false);
        }
    }
}
