using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace FactoryMesh.Storage.GroupCommit;

/// <summary>
/// Group commit: grains queue their writes, and one writer takes everything queued (up to a batch) into a single
/// transaction. While one transaction commits, the next group gathers, so the number of transactions adapts to the
/// load: one write alone commits at once, ten thousand concurrent writes take ten transactions, and every writer
/// still hears back only after its own row is durable.
/// </summary>
internal sealed partial class GroupCommitQueue : IAsyncDisposable
{
    private static readonly Meter Meter = new("FactoryMesh.Storage");
    private static readonly Counter<long> Committed = Meter.CreateCounter<long>("factorymesh.storage.group_commit.writes", "{write}", "Grain state writes committed by group commit.");
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("factorymesh.storage.group_commit.batch_size", "{write}", "Writes per group-commit transaction.");

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IStateRowStore _store;
    private readonly string _serviceId;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Task _writer;

    public GroupCommitQueue(IStateRowStore store, string serviceId, int maxBatch, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _store = store;
        _serviceId = serviceId;
        _maxBatch = maxBatch;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues <paramref name="write"/>; completes once it is committed (its new version) or lost a version check (null).</summary>
    public Task<long?> EnqueueAsync(PendingWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            write.Fail(new InvalidOperationException("Grain storage is shut down: the write was not stored."));
        }

        return write.Committed;
    }

    /// <summary>Stops taking writes and waits until every queued one is committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            await CommitAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        try
        {
            var versions = await _store.CommitAsync(_serviceId, batch, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(versions[i]);
            }

            Committed.Add(batch.Count);
            BatchSizes.Record(batch.Count);
        }
#pragma warning disable CA1031 // every waiting grain hears of the failure; the loop must survive to serve the next group
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCommitFailed(exception, batch.Count);
            foreach (var write in batch)
            {
                write.Fail(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} grain writes failed; each writer is told")]
    private partial void LogCommitFailed(Exception exception, int count);
}
