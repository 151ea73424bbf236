using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace FactoryMesh.Storage.GroupCommit;

/// <summary>
/// Group commit: grains queue their writes, and one writer takes everything queued (up to a batch) into a single
/// transaction. While one transaction commits, the next group gathers, so the number of transactions adapts to the
/// load: one write alone commits at once, ten thousand concurrent writes take ten transactions, and every writer
/// still hears back only after its own row is durable. Reads are grouped the same way (one <c>IN</c> query for all
/// the activations waiting), which is what a start-up or a registration storm of new node grains costs.
/// </summary>
internal sealed partial class GroupCommitQueue : IAsyncDisposable
{
    private const int MaxReadBatch = 500;

    private static readonly Meter Meter = new("FactoryMesh.Storage");
    private static readonly Counter<long> Committed = Meter.CreateCounter<long>("factorymesh.storage.group_commit.writes", "{write}", "Grain state writes committed by group commit.");
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("factorymesh.storage.group_commit.batch_size", "{write}", "Writes per group-commit transaction.");

    private readonly IStateRowStore _store;
    private readonly string _serviceId;
    private readonly ILogger _logger;
    private readonly MicroBatcher<PendingWrite> _writes;
    private readonly MicroBatcher<PendingRead> _reads;

    public GroupCommitQueue(IStateRowStore store, string serviceId, int maxBatch, ILogger logger)
    {
        _store = store;
        _serviceId = serviceId;
        _logger = logger;
        _writes = new MicroBatcher<PendingWrite>(maxBatch, CommitAsync);
        _reads = new MicroBatcher<PendingRead>(MaxReadBatch, ReadAsync);
    }

    /// <summary>Queues <paramref name="write"/>; completes once it is committed (its new version) or lost a version check (null).</summary>
    public Task<long?> EnqueueAsync(PendingWrite write)
    {
        if (!_writes.TryEnqueue(write))
        {
            write.Fail(new InvalidOperationException("Grain storage is shut down: the write was not stored."));
        }

        return write.Committed;
    }

    /// <summary>Reads one grain's row with the next group of reads; null when it was never written.</summary>
    public Task<StateRow?> ReadAsync(string grainId)
    {
        var read = new PendingRead(grainId);
        if (!_reads.TryEnqueue(read))
        {
            read.Fail(new InvalidOperationException("Grain storage is shut down: the state was not read."));
        }

        return read.Row;
    }

    /// <summary>Stops taking writes and waits until every queued one is committed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _reads.DisposeAsync().ConfigureAwait(false);
        await _writes.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
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
            batch.ForEach(write => write.Fail(exception));
        }
    }

    private async Task ReadAsync(List<PendingRead> batch)
    {
        try
        {
            var rows = await _store.ReadManyAsync(_serviceId, batch.Select(r => r.GrainId).Distinct(StringComparer.Ordinal).ToArray(), CancellationToken.None).ConfigureAwait(false);
            var byId = rows.ToDictionary(r => r.GrainId, StringComparer.Ordinal);
            batch.ForEach(read => read.Complete(byId.GetValueOrDefault(read.GrainId)));
        }
#pragma warning disable CA1031 // as above: each waiting activation fails, the loop goes on
        catch (Exception exception)
#pragma warning restore CA1031
        {
            batch.ForEach(read => read.Fail(exception));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} grain writes failed; each writer is told")]
    private partial void LogCommitFailed(Exception exception, int count);
}
