using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Sites;

/// <summary>
/// A site's in-memory index of its nodes' placement facts and latest utilization, with the counts and sums of the
/// site summary kept up to date on every change, so a change costs O(1) whatever the site's size and a summary
/// costs nothing to read. Not thread-safe: the site grain owns it.
/// </summary>
public sealed class SiteNodeIndex
{
    private readonly Dictionary<string, NodePlacementFacts> _facts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UtilizationSample> _utilization = new(StringComparer.Ordinal);
    private int _ready;
    private int _trusted;
    private int _stale;
    private int _untrusted;
    private double _utilizationSum;
    private double _powerWattsSum;
    private double _tokensPerSecondSum;

    /// <summary>Registered nodes.</summary>
    public int Count => _facts.Count;

    /// <summary>Every node's facts, in no particular order.</summary>
    public IReadOnlyCollection<NodePlacementFacts> Facts => _facts.Values;

    /// <summary>The node ids, in no particular order.</summary>
    public IReadOnlyCollection<string> NodeIds => _facts.Keys;

    /// <summary>True when <paramref name="nodeId"/> is indexed.</summary>
    public bool Contains(string nodeId) => _facts.ContainsKey(nodeId);

    /// <summary>Nodes whose agent is heard from.</summary>
    public int Ready => _ready;

    /// <summary>Nodes with fresh, verified attestation.</summary>
    public int Trusted => _trusted;

    /// <summary>Nodes whose attestation is no longer fresh.</summary>
    public int Stale => _stale;

    /// <summary>Nodes that failed appraisal or were revoked.</summary>
    public int Untrusted => _untrusted;

    /// <summary>Mean GPU utilization over the nodes that reported, 0 to 1.</summary>
    public double MeanGpuUtilization => _utilization.Count == 0 ? 0 : Math.Clamp(_utilizationSum / _utilization.Count, 0, 1);

    /// <summary>Power drawn by the nodes that reported, watts.</summary>
    public double PowerWatts => Math.Max(0, _powerWattsSum);

    /// <summary>Tokens per second over the nodes that reported.</summary>
    public double TokensPerSecond => Math.Max(0, _tokensPerSecondSum);

    /// <summary>Records <paramref name="facts"/>; false when the index already held exactly these.</summary>
    public bool Upsert(NodePlacementFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (_facts.TryGetValue(facts.NodeId, out var known))
        {
            if (known == facts)
            {
                return false;
            }

            Tally(known, -1);
        }

        _facts[facts.NodeId] = facts;
        Tally(facts, +1);
        return true;
    }

    /// <summary>Each node's latest sample, for nodes that reported one.</summary>
    public IReadOnlyDictionary<string, UtilizationSample> LatestUtilization => _utilization;

    /// <summary>Takes a node's latest sample; false (and ignored) for a node the index does not hold.</summary>
    public bool Report(string nodeId, UtilizationSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (!_facts.ContainsKey(nodeId))
        {
            return false;
        }

        if (_utilization.TryGetValue(nodeId, out var previous))
        {
            Sum(previous, -1);
        }

        _utilization[nodeId] = sample;
        Sum(sample, +1);
        return true;
    }

    private void Tally(NodePlacementFacts facts, int delta)
    {
        _ready += facts.Liveness == Liveness.Ready ? delta : 0;
        _trusted += facts.Trust.State == TrustState.Trusted ? delta : 0;
        _stale += facts.Trust.State == TrustState.Stale ? delta : 0;
        _untrusted += facts.Trust.State == TrustState.Untrusted ? delta : 0;
    }

    private void Sum(UtilizationSample sample, int sign)
    {
        _utilizationSum += sign * sample.GpuUtilization;
        _powerWattsSum += sign * sample.PowerWatts;
        _tokensPerSecondSum += sign * sample.TokensPerSecond;
    }
}
