using System.Collections.Concurrent;
using System.Diagnostics;

namespace FactoryMesh.LoadGen;

/// <summary>Every request of one phase: when it ended, how long it took, how many node items it carried and whether it succeeded.</summary>
internal sealed class RequestLog
{
    private readonly ConcurrentQueue<RequestRecord> _records = new();

    public long StartedTimestamp { get; } = Stopwatch.GetTimestamp();

    public void Add(long startTimestamp, int items, int accepted, bool failed) =>
        _records.Enqueue(new RequestRecord(Stopwatch.GetTimestamp(), Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, items, accepted, failed));

    public IReadOnlyList<RequestRecord> Records => _records.ToArray();

    /// <summary>Accepted node items per second in consecutive windows of <paramref name="window"/> from the phase's start.</summary>
    public IReadOnlyList<double> ThroughputWindows(TimeSpan window, TimeSpan phaseLength)
    {
        var count = Math.Max(1, (int)Math.Floor(phaseLength / window));
        var accepted = new long[count];
        foreach (var record in _records)
        {
            var at = TimeSpan.FromSeconds((record.EndTimestamp - StartedTimestamp) / (double)Stopwatch.Frequency);
            var index = (int)(at / window);
            if (index < count)
            {
                accepted[index] += record.Accepted;
            }
        }

        return accepted.Select(a => a / window.TotalSeconds).ToArray();
    }
}

/// <summary>One request: its end (Stopwatch timestamp), latency in ms, node items sent and accepted, and whether it failed.</summary>
internal sealed record RequestRecord(long EndTimestamp, double LatencyMs, int Items, int Accepted, bool Failed);
