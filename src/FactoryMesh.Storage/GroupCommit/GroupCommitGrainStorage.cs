using System.Globalization;
using FactoryMesh.Grains;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace FactoryMesh.Storage.GroupCommit;

/// <summary>
/// Orleans grain storage for grains that are many and change often (the node grains): every write is durable
/// before it returns, as with Orleans' ADO.NET provider, but concurrent writes of many grains share one
/// transaction (<see cref="GroupCommitQueue"/>), and rows carry a partition key so that a whole partition reads in
/// one scan (<see cref="IGrainStatePartitions"/>). Optimistic concurrency is the ADO.NET provider's: a write must
/// name the version it last saw, or it fails with <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class GroupCommitGrainStorage : IGrainStorage, IGrainStatePartitions, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _name;
    private readonly string _serviceId;
    private readonly Func<GrainId, string> _partitionKey;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IStateRowStore _rows;
    private readonly GroupCommitQueue _queue;

    internal GroupCommitGrainStorage(
        string name, string serviceId, IStateRowStore rows, Func<GrainId, string> partitionKey, IGrainStorageSerializer serializer, int maxBatch, ILogger logger)
    {
        _name = name;
        _serviceId = serviceId;
        _rows = rows;
        _partitionKey = partitionKey;
        _serializer = serializer;
        _queue = new GroupCommitQueue(rows, serviceId, maxBatch, logger);
    }

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var row = await _queue.ReadAsync(grainId.ToString()).ConfigureAwait(false);
        Load(grainState, row);
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        return StoreAsync(grainId, grainState, _serializer.Serialize(grainState.State).ToArray(), cleared: false);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        return StoreAsync(grainId, grainState, null, cleared: true);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValuePair<string, T>>> ReadPartitionAsync<T>(string partitionKey, CancellationToken cancellationToken)
    {
        var rows = await _rows.ReadPartitionAsync(_serviceId, partitionKey, cancellationToken).ConfigureAwait(false);
        return rows
            .Where(r => r.Payload is not null)
            .Select(r => KeyValuePair.Create(GrainId.Parse(r.GrainId).Key.ToString()!, _serializer.Deserialize<T>(new BinaryData(r.Payload!))!))
            .ToArray();
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);

        // Stops after the grains are deactivated (a later stage stops first), so their last writes are committed.
        lifecycle.Subscribe($"{nameof(GroupCommitGrainStorage)}-{_name}", ServiceLifecycleStage.ApplicationServices, _ => Task.CompletedTask, async _ => await DisposeAsync().ConfigureAwait(false));
    }

    /// <summary>Commits what is queued and closes the database connections.</summary>
    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    // The payload is serialized by the caller before this runs, so the grain may change its state while it waits.
    private async Task StoreAsync<T>(GrainId grainId, IGrainState<T> grainState, byte[]? payload, bool cleared)
    {
        var expected = grainState.ETag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : (long?)null;
        var write = new PendingWrite(grainId.ToString(), _partitionKey(grainId), payload, expected);
        if (await _queue.EnqueueAsync(write).ConfigureAwait(false) is not { } version)
        {
            throw new InconsistentStateException(
                $"The stored state of {grainId} has moved past version {grainState.ETag ?? "(none)"}: another activation wrote it.", "unknown", grainState.ETag);
        }

        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = !cleared;
        if (cleared)
        {
            grainState.State = Activator.CreateInstance<T>();
        }
    }

    private void Load<T>(IGrainState<T> grainState, StateRow? row)
    {
        grainState.ETag = row?.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = row?.Payload is not null;
        grainState.State = row?.Payload is { } payload ? _serializer.Deserialize<T>(new BinaryData(payload)) : Activator.CreateInstance<T>();
    }
}
