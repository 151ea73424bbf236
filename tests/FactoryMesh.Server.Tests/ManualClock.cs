namespace FactoryMesh.Server.Tests;

/// <summary>
/// A clock that stands still until a test advances it, and stays cheap with tens of thousands of timers armed.
/// <c>FakeTimeProvider</c> scans every pending timer on each reading of the clock (for its auto-advance), and the silo
/// reads the clock on every grain message: with 10,000 node grains each holding a liveness timer that stalled the
/// thread pool for 15 s at a time on two cores. Here a reading is one field, and timers wait in a priority queue.
/// Same semantics otherwise: timers fire only when <see cref="Advance"/> passes their due time (earliest first, the
/// clock already at the new time) or at once when armed due now; timestamps follow the clock.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<(ManualTimer Timer, long Generation), long> _due = new();
    private long _nowTicks = start.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _nowTicks), TimeSpan.Zero);

    /// <inheritdoc />
    public override long GetTimestamp() => Volatile.Read(ref _nowTicks);

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, then fires every timer due by then, earliest first.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_lock)
        {
            // The clock moves first, as FakeTimeProvider's does: a callback that re-checks the time (Orleans' timers
            // wait in whole milliseconds and loop until their deadline) sees it passed instead of re-arming forever.
            Volatile.Write(ref _nowTicks, _nowTicks + by.Ticks);
        }

        while (NextDue() is { } timer)
        {
            timer.Fire(); // outside the lock: a callback may read the clock or change its timer
        }
    }

    // The next live timer due by now, a periodic one queued again for its next turn; null when none is left.
    private ManualTimer? NextDue()
    {
        lock (_lock)
        {
            while (_due.TryPeek(out var entry, out var dueTicks) && dueTicks <= _nowTicks)
            {
                _due.Dequeue();
                if (entry.Generation != entry.Timer.Generation)
                {
                    continue; // changed or disposed since it was queued
                }

                if (entry.Timer.PeriodTicks > 0)
                {
                    _due.Enqueue(entry, Math.Max(dueTicks + entry.Timer.PeriodTicks, _nowTicks + 1));
                }

                return entry.Timer;
            }

            return null;
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private long _generation;

        // Bumped by every change; an entry queued under an older one is stale. Negative once disposed.
        public long Generation => Volatile.Read(ref _generation);

        public long PeriodTicks { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            long generation;
            lock (clock._lock)
            {
                if (_generation < 0)
                {
                    return false;
                }

                generation = Interlocked.Increment(ref _generation);
                PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks; // zero, like infinite, repeats never
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                if (dueTime > TimeSpan.Zero)
                {
                    clock._due.Enqueue((this, generation), clock._nowTicks + dueTime.Ticks);
                    return true;
                }

                if (PeriodTicks > 0)
                {
                    clock._due.Enqueue((this, generation), clock._nowTicks + PeriodTicks);
                }
            }

            // Due now: like a system timer, on the thread pool and never inside the caller's Change; skipped if the
            // timer was changed or disposed before it ran.
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                if (Generation == generation)
                {
                    callback(state);
                }
            }, null);
            return true;
        }

        public void Fire()
        {
            if (Generation >= 0)
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                Volatile.Write(ref _generation, long.MinValue);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
