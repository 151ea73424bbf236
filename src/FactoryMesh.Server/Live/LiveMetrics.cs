using System.Diagnostics.Metrics;

namespace FactoryMesh.Server.Live;

/// <summary>The live-update counters, on the <c>FactoryMesh</c> meter, also kept as totals for tests and health.</summary>
public sealed class LiveMetrics : IDisposable
{
    /// <summary>The meter's name, for OpenTelemetry and dotnet-counters.</summary>
    public const string MeterName = "FactoryMesh";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _eventsSent;
    private readonly Counter<long> _batchesDropped;
    private long _eventsSentTotal;
    private long _batchesDroppedTotal;

    /// <summary>Creates the counters.</summary>
    public LiveMetrics()
    {
        _eventsSent = _meter.CreateCounter<long>("factorymesh.live.events_sent", description: "Events handed to SignalR groups");
        _batchesDropped = _meter.CreateCounter<long>("factorymesh.live.batches_dropped", description: "Event batches dropped because the bridge fell behind");
    }

    /// <summary>Events handed to SignalR since start.</summary>
    public long EventsSent => Interlocked.Read(ref _eventsSentTotal);

    /// <summary>Batches dropped at the bridge's bounded buffer since start.</summary>
    public long BatchesDropped => Interlocked.Read(ref _batchesDroppedTotal);

    /// <summary>Counts <paramref name="count"/> events sent.</summary>
    public void RecordSent(int count)
    {
        _eventsSent.Add(count);
        Interlocked.Add(ref _eventsSentTotal, count);
    }

    /// <summary>Counts one dropped batch.</summary>
    public void RecordDrop()
    {
        _batchesDropped.Add(1);
        Interlocked.Increment(ref _batchesDroppedTotal);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
