using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// Placement candidates compiled into flat arrays, with sites, GPU models and TEE kinds numbered. Every per-request check then
/// costs an array read and a compare per node instead of string hashing, which is what lets one solve screen tens of thousands
/// of nodes in milliseconds, and a batch compile the fleet once for all its models.
/// </summary>
internal sealed class CandidateFleet
{
    /// <summary>Stands for a trust time the node never reported: earlier than any instant.</summary>
    public const long NoTime = long.MinValue;

    private readonly Dictionary<string, int> _nodeIndex;
    private readonly Dictionary<string, int> _siteIndex;
    // The last few exclusions made for each node, RecentExclusionsPerNode slots per node, replaced round robin. Exclusions are
    // immutable, so when a later model of a batch excludes the node for the same reason in the same words (the same interned
    // detail), the record is shared instead of made again: a batch then allocates per decision a list, not a record per node.
    // A node meets a few distinct exclusions in a batch (its site refused by a tenant or two, outranked, short of memory for the
    // big model), hence a few slots rather than one.
    private const int RecentExclusionsPerNode = 4;
    private readonly NodeExclusion?[] _recentExclusions;
    private readonly byte[] _nextRecentExclusion;
    private readonly Dictionary<string, string> _details = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Kind, double A, double B, double C), string> _detailsByFigures = [];

    private CandidateFleet(int count)
    {
        Count = count;
        NodeIds = new string[count];
        SiteOf = new int[count];
        GpuModelOf = new int[count];
        TeeKindOf = new int[count];
        GpuCount = new int[count];
        GpuMemoryGiB = new double[count];
        PowerWatts = new double[count];
        NodeCostUsdPerHour = new double[count];
        FreeGpuMemoryGiB = new double[count];
        Trust = new TrustState[count];
        VerifiedAtUtcTicks = new long[count];
        ExpiresAtUtcTicks = new long[count];
        Liveness = new Liveness[count];
        _recentExclusions = new NodeExclusion?[count * RecentExclusionsPerNode];
        _nextRecentExclusion = new byte[count];
        _nodeIndex = new Dictionary<string, int>(count, StringComparer.Ordinal);
        _siteIndex = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>Number of candidate nodes.</summary>
    public int Count { get; }

    public string[] NodeIds { get; }

    public int[] SiteOf { get; }

    public int[] GpuModelOf { get; }

    public int[] TeeKindOf { get; }

    public int[] GpuCount { get; }

    public double[] GpuMemoryGiB { get; }

    public double[] PowerWatts { get; }

    public double[] NodeCostUsdPerHour { get; }

    /// <summary>Free GPU memory per node; a batch lowers it as it reserves replicas.</summary>
    public double[] FreeGpuMemoryGiB { get; }

    public TrustState[] Trust { get; }

    public long[] VerifiedAtUtcTicks { get; }

    public long[] ExpiresAtUtcTicks { get; }

    public Liveness[] Liveness { get; }

    /// <summary>Distinct site ids, by site number.</summary>
    public List<string> SiteIds { get; } = [];

    /// <summary>Site profiles, by site number (the first profile seen for each site id).</summary>
    public List<SiteProfile> Sites { get; } = [];

    /// <summary>Distinct GPU model names, by number.</summary>
    public List<string> GpuModels { get; } = [];

    /// <summary>Distinct TEE kinds, by number.</summary>
    public List<string> TeeKinds { get; } = [];

    /// <summary>Compiles <paramref name="candidates"/>; throws <see cref="ArgumentException"/> when a node id repeats.</summary>
    public static CandidateFleet Compile(IReadOnlyList<PlacementCandidate> candidates)
    {
        var fleet = new CandidateFleet(candidates.Count);
        var gpuModels = new Dictionary<string, int>(StringComparer.Ordinal);
        var teeKinds = new Dictionary<string, int>(StringComparer.Ordinal);
        // Candidates arrive grouped by site (one Site grain's index after another), so remembering the last site skips most lookups.
        string? lastSiteId = null;
        var lastSite = -1;
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var node = candidate.Node;
            var inventory = node.Inventory;
            if (!fleet._nodeIndex.TryAdd(node.NodeId, i))
            {
                throw new ArgumentException($"Node '{node.NodeId}' is listed twice among the candidates.", nameof(candidates));
            }

            if (!ReferenceEquals(candidate.SiteId, lastSiteId) && !string.Equals(candidate.SiteId, lastSiteId, StringComparison.Ordinal))
            {
                lastSiteId = candidate.SiteId;
                lastSite = fleet.AddSite(candidate.SiteId, candidate.Site);
            }

            fleet.NodeIds[i] = node.NodeId;
            fleet.SiteOf[i] = lastSite;
            fleet.GpuModelOf[i] = Number(gpuModels, fleet.GpuModels, inventory.GpuModel);
            fleet.TeeKindOf[i] = Number(teeKinds, fleet.TeeKinds, inventory.TeeKind);
            fleet.GpuCount[i] = inventory.GpuCount;
            fleet.GpuMemoryGiB[i] = inventory.GpuMemoryGiB;
            fleet.PowerWatts[i] = inventory.PowerWatts;
            fleet.NodeCostUsdPerHour[i] = inventory.CostUsdPerHour;
            fleet.FreeGpuMemoryGiB[i] = node.FreeGpuMemoryGiB;
            fleet.Trust[i] = node.Trust.State;
            fleet.VerifiedAtUtcTicks[i] = node.Trust.VerifiedAt?.UtcTicks ?? NoTime;
            fleet.ExpiresAtUtcTicks[i] = node.Trust.ExpiresAt?.UtcTicks ?? NoTime;
            fleet.Liveness[i] = node.Liveness;
        }

        return fleet;
    }

    /// <summary>The candidate index of <paramref name="nodeId"/>, if it is a candidate.</summary>
    public bool TryFindNode(string nodeId, out int index) => _nodeIndex.TryGetValue(nodeId, out index);

    /// <summary>The number of <paramref name="siteId"/>, if some candidate stands in it.</summary>
    public bool TryFindSite(string siteId, out int index) => _siteIndex.TryGetValue(siteId, out index);

    /// <summary>The one instance of <paramref name="detail"/> for this fleet, so equal details are the same reference.</summary>
    public string Intern(string detail)
    {
        if (_details.TryGetValue(detail, out var interned))
        {
            return interned;
        }

        _details.Add(detail, detail);
        return detail;
    }

    /// <summary>
    /// The one instance of the detail that <paramref name="write"/> makes from these figures: per-node details (free memory,
    /// seconds of trust left) repeat across the models of a batch, and making the string once keeps the batch from allocating
    /// one per node per model. <paramref name="kind"/> tells apart details made from the same figures.
    /// </summary>
    public string Detail(int kind, double a, double b, double c, Func<double, double, double, string> write)
    {
        if (!_detailsByFigures.TryGetValue((kind, a, b, c), out var detail))
        {
            detail = Intern(write(a, b, c));
            _detailsByFigures.Add((kind, a, b, c), detail);
        }

        return detail;
    }

    /// <summary>An exclusion of <paramref name="node"/>, shared with a recent one when reason and (interned) detail are the same.</summary>
    public NodeExclusion Exclude(int node, ExclusionReason reason, string detail)
    {
        var recent = _recentExclusions.AsSpan(node * RecentExclusionsPerNode, RecentExclusionsPerNode);
        foreach (var exclusion in recent)
        {
            if (exclusion is not null && exclusion.Reason == reason && ReferenceEquals(exclusion.Detail, detail))
            {
                return exclusion;
            }
        }

        var made = new NodeExclusion(NodeIds[node], reason, detail);
        recent[_nextRecentExclusion[node]] = made;
        _nextRecentExclusion[node] = (byte)((_nextRecentExclusion[node] + 1) % RecentExclusionsPerNode);
        return made;
    }

    /// <summary>Takes <paramref name="gib"/> of GPU memory on <paramref name="node"/> for a replica just placed there.</summary>
    public void Reserve(int node, double gib) => FreeGpuMemoryGiB[node] = Math.Max(0, FreeGpuMemoryGiB[node] - gib);

    private int AddSite(string siteId, SiteProfile profile)
    {
        if (_siteIndex.TryGetValue(siteId, out var index))
        {
            return index;
        }

        index = SiteIds.Count;
        _siteIndex.Add(siteId, index);
        SiteIds.Add(siteId);
        Sites.Add(profile);
        return index;
    }

    private static int Number(Dictionary<string, int> numbers, List<string> names, string name)
    {
        if (!numbers.TryGetValue(name, out var number))
        {
            number = names.Count;
            numbers.Add(name, number);
            names.Add(name);
        }

        return number;
    }
}
