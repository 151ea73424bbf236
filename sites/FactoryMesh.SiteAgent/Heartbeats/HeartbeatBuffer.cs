using FactoryMesh.SiteAgent.ControlPlane;

namespace FactoryMesh.SiteAgent.Heartbeats;

/// <summary>
/// Heartbeats waiting to be sent, oldest first, bounded: while the control plane is unreachable they pile up, and
/// past the capacity the oldest are dropped (and counted), since the newest say most about the node now.
/// </summary>
internal sealed class HeartbeatBuffer
{
    private readonly Lock _gate = new();
    private readonly LinkedList<HeartbeatReport> _items = new();
    private readonly int _capacity;

    /// <summary>Creates a buffer holding at most <paramref name="capacity"/> heartbeats.</summary>
    public HeartbeatBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Heartbeats waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Appends <paramref name="report"/>; returns how many old heartbeats were dropped to make room.</summary>
    public int Add(HeartbeatReport report)
    {
        lock (_gate)
        {
            _items.AddLast(report);
            return TrimOldest();
        }
    }

    /// <summary>
    /// Takes the oldest heartbeats that fit one batch: at most <paramref name="maximum"/>, each node at most once (the
    /// control plane refuses a batch naming a node twice). A node's later heartbeats stay for the next batch, in order.
    /// </summary>
    public IReadOnlyList<HeartbeatReport> TakeBatch(int maximum)
    {
        lock (_gate)
        {
            var batch = new List<HeartbeatReport>(Math.Min(maximum, _items.Count));
            var nodes = new HashSet<string>(StringComparer.Ordinal);
            for (var item = _items.First; item is not null && batch.Count < maximum;)
            {
                var next = item.Next;
                if (nodes.Add(item.Value.NodeId))
                {
                    batch.Add(item.Value);
                    _items.Remove(item);
                }

                item = next;
            }

            return batch;
        }
    }

    /// <summary>
    /// Puts an unsent batch back in front, where it came from; returns how many heartbeats were dropped because the
    /// buffer filled meanwhile. Each node's heartbeats stay in order, since a batch holds each node's oldest.
    /// </summary>
    public int ReturnToFront(IReadOnlyList<HeartbeatReport> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            for (var i = batch.Count - 1; i >= 0; i--)
            {
                _items.AddFirst(batch[i]);
            }

            return TrimOldest();
        }
    }

    private int TrimOldest()
    {
        var dropped = 0;
        while (_items.Count > _capacity)
        {
            _items.RemoveFirst();
            dropped++;
        }

        return dropped;
    }
}
