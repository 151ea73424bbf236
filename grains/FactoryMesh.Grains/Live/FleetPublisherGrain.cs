using System.Diagnostics;
using FactoryMesh.Grains.Abstractions.Live;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace FactoryMesh.Grains.Live;

/// <summary>
/// One per silo: sends the events its grains publish, in publication order, to every silo's bridge with one
/// one-way call per bridge and batch. Trust and replica changes go out at once (with whatever is pending before
/// them); utilization and site summaries gather for <see cref="BatchWindow"/> first. Reentrant, so publishing
/// never waits for a send; the window is wall-clock time, independent of the grains' (possibly simulated) clock.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed partial class FleetPublisherGrain(ILogger<FleetPublisherGrain> logger) : Grain, IFleetPublisherGrain
{
    /// <summary>How long events gather before a batch goes out.</summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the list of bridges is re-read from the registry.</summary>
    public static readonly TimeSpan BridgeRefresh = TimeSpan.FromSeconds(5);

    /// <summary>How long a flush waits for the registry before it uses the bridges it knew.</summary>
    public static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a bridge may take to acknowledge a batch.</summary>
    public static readonly TimeSpan BridgeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a bridge that did not acknowledge is passed over.</summary>
    public static readonly TimeSpan BridgeQuarantine = TimeSpan.FromSeconds(30);

    private readonly Dictionary<IFleetObserver, long> _unanswering = [];
    private List<FleetEvent> _pending = [];
    private bool _flushScheduled;
    private Task _lastSend = Task.CompletedTask;
    private IReadOnlyList<IFleetObserver> _bridges = [];
    private long? _bridgesReadAt;

    /// <inheritdoc />
    public async Task PublishAsync(FleetEvent fleetEvent)
    {
        _pending.Add(fleetEvent);
        if (fleetEvent is TrustChangedEvent or ReplicaEvent)
        {
            await FlushAsync();
            return;
        }

        await FlushAfterWindowAsync();
    }

    /// <inheritdoc />
    public async Task PublishManyAsync(IReadOnlyList<FleetEvent> fleetEvents)
    {
        ArgumentNullException.ThrowIfNull(fleetEvents);
        _pending.AddRange(fleetEvents);
        if (fleetEvents.Any(e => e is TrustChangedEvent or ReplicaEvent))
        {
            await FlushAsync();
            return;
        }

        await FlushAfterWindowAsync();
    }

    private async Task FlushAfterWindowAsync()
    {
        if (_flushScheduled)
        {
            return;
        }

        _flushScheduled = true;
        try
        {
            await Task.Delay(BatchWindow);
        }
        finally
        {
            // Cleared before the batch is cut, not after it is sent: what arrives during the send schedules the next
            // flush. Cleared after the send, the last events of a burst (often a site's final summary) would wait for
            // the next publication, which in a quiet fleet may never come.
            _flushScheduled = false;
        }

        await FlushAsync();
    }

    // Batches leave in the order they were cut: each send waits for the one before it.
    private Task FlushAsync()
    {
        if (_pending.Count == 0)
        {
            return _lastSend;
        }

        var batch = _pending;
        _pending = [];
        _lastSend = SendAfterAsync(_lastSend, batch);
        return _lastSend;
    }

    private async Task SendAfterAsync(Task previous, List<FleetEvent> batch)
    {
        await previous;
        if (_bridgesReadAt is not { } readAt || Stopwatch.GetElapsedTime(readAt) > BridgeRefresh)
        {
            try
            {
                // Bounded in wall-clock time: while the silo shuts down the registry may never answer, and a
                // publisher waiting for it would hold up the shutdown.
                _bridges = await GrainFactory.GetGrain<IFleetHubRegistryGrain>(IFleetHubRegistryGrain.Key).GetBridgesAsync().WaitAsync(RegistryTimeout);
                _bridgesReadAt = Stopwatch.GetTimestamp();
            }
            catch (TimeoutException exception)
            {
                LogRegistryUnanswered(exception);
            }
        }

        // Each bridge acknowledges a batch (it only queues it) before the next one goes: observer calls are not
        // delivered in order by themselves. A bridge that does not answer in time is passed over for a while, so a
        // dead silo costs one timeout, not one per batch, until it ages out of the registry.
        await Task.WhenAll(_bridges.Where(b => !_unanswering.TryGetValue(b, out var since) || Stopwatch.GetElapsedTime(since) > BridgeQuarantine).Select(async bridge =>
        {
            try
            {
                await bridge.OnEventsAsync(batch).WaitAsync(BridgeTimeout);
                _unanswering.Remove(bridge);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _unanswering[bridge] = Stopwatch.GetTimestamp();
                LogBridgeFailed(exception, batch.Count);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live bridge registry did not answer in time; the known bridges are used")]
    private partial void LogRegistryUnanswered(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live bridge did not take a batch of {Count} events")]
    private partial void LogBridgeFailed(Exception exception, int count);
}
