using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Heartbeats;

/// <summary>
/// The newest unsent heartbeat of each node, nodes in the order they first waited. A node sampled again before its
/// last sample was sent replaces it (and the replaced one is counted), since the control plane wants each node as it
/// is now, not its history: after an outage of any length the backlog is at most one heartbeat per node, so a site
/// coming back costs one round of full batches, never one call per beat it missed.
/// </summary>
internal sealed class LatestHeartbeats
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, HeartbeatReport> _waiting = new(StringComparer.Ordinal);

    /// <summary>Nodes with a heartbeat waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Keeps <paramref name="report"/> as its node's newest; true when it replaced one not yet sent.</summary>
    public bool Set(HeartbeatReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            var node = report.NodeId ?? throw new ArgumentException("A heartbeat names its node.", nameof(report));
            if (_waiting.TryGetValue(node, out var previous))
            {
                // Out of order (a sample finishing after a later one) never goes back in time.
                if (previous.SampledAt <= report.SampledAt)
                {
                    _waiting[node] = report;
                }

                return true;
            }

            _waiting.Add(node, report);
            return false;
        }
    }

    /// <summary>Takes the heartbeats of the nodes that waited longest, at most <paramref name="maximum"/>, each node once.</summary>
    public IReadOnlyList<HeartbeatReport> TakeBatch(int maximum)
    {
        lock (_gate)
        {
            var count = Math.Min(maximum, _waiting.Count);
            var batch = new List<HeartbeatReport>(count);
            for (var i = 0; i < count; i++)
            {
                batch.Add(_waiting.GetAt(0).Value);
                _waiting.RemoveAt(0);
            }

            return batch;
        }
    }

    /// <summary>
    /// Puts an unsent batch back in front, where it came from, except where its node was sampled again meanwhile;
    /// returns how many it left out for that reason.
    /// </summary>
    public int ReturnUnsent(IReadOnlyList<HeartbeatReport> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            var superseded = 0;
            for (var i = batch.Count - 1; i >= 0; i--)
            {
                if (_waiting.ContainsKey(batch[i].NodeId!))
                {
                    superseded++;
                    continue;
                }

                _waiting.Insert(0, batch[i].NodeId!, batch[i]);
            }

            return superseded;
        }
    }
}
