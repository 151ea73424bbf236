using System.Diagnostics.Metrics;
using FactoryMesh.Server.Live;

namespace FactoryMesh.Server.Telemetry;

/// <summary>
/// What operators scrape, on the <c>FactoryMesh</c> meter: appraisals by the check that decided them, key releases and
/// refusals by reason, placement latency, and per site the trust counts, utilization, power and throughput (from the
/// latest <see cref="FleetSnapshot"/>; observable gauges cannot call grains, so a collector refreshes it).
/// <para>
/// One per process (<see cref="Shared"/>): OpenTelemetry exports only the first instrument of a name on a meter of a name,
/// so a second set (a second host in the process, as tests run several) would be recorded and never seen. Each host's
/// collector publishes its own snapshot, and the gauges report them all.
/// </para>
/// </summary>
public sealed class FleetMetrics
{
    // Lives as long as the process, as the one set of instruments does.
    private static readonly Meter Meter = new(LiveMetrics.MeterName);
    private readonly Counter<long> _appraisals;
    private readonly Counter<long> _keyDecisions;
    private readonly Histogram<double> _placementSeconds;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, FleetSnapshot> _snapshots = new();

    /// <summary>The per-node instruments, which need a cardinality limit of the fleet's size.</summary>
    public static readonly IReadOnlyList<string> NodeInstruments = ["factorymesh.node.power_usage", "factorymesh.node.gpu_util", "factorymesh.node.fb_used"];

    private FleetMetrics()
    {
        _appraisals = Meter.CreateCounter<long>("factorymesh.attestation.appraisals", description: "Evidence appraised, by the check that decided it (None: accepted)");
        _keyDecisions = Meter.CreateCounter<long>("factorymesh.keys.decisions", description: "Key release requests, by outcome (Released or the refusal)");
        _placementSeconds = Meter.CreateHistogram<double>("factorymesh.placement.duration", unit: "s", description: "Placement requests, by kind (model or fleet)");
        Meter.CreateObservableGauge("factorymesh.site.nodes", () => Sites.SelectMany(site => new[]
        {
            Measure(site.Trusted, site.SiteId, "Trusted"),
            Measure(site.Stale, site.SiteId, "Stale"),
            Measure(site.Untrusted, site.SiteId, "Untrusted"),
            Measure(site.Nodes - site.Trusted - site.Stale - site.Untrusted, site.SiteId, "Unknown"),
        }), description: "Nodes per site by trust state");
        Meter.CreateObservableGauge("factorymesh.site.ready_nodes", () => Sites.Select(site => new Measurement<int>(site.Ready, Site(site.SiteId))), description: "Nodes per site whose agent is heard from");
        Meter.CreateObservableGauge("factorymesh.site.power", () => Sites.Select(site => new Measurement<double>(site.PowerWatts, Site(site.SiteId))), unit: "W", description: "GPU power drawn per site (the sum of DCGM_FI_DEV_POWER_USAGE the agents report)");
        Meter.CreateObservableGauge("factorymesh.site.gpu_utilization", () => Sites.Select(site => new Measurement<double>(site.GpuUtilization, Site(site.SiteId))), description: "Mean GPU utilization per site, 0 to 1 (DCGM_FI_DEV_GPU_UTIL / 100)");
        // Per node, named and scaled after the DCGM fields operators already chart per GPU, so a query written for one
        // reads the other: watts, percent (0-100), MiB.
        Meter.CreateObservableGauge(NodeInstruments[0], () => Nodes.Select(n => new Measurement<double>(n.Sample.PowerWatts, NodeTags(n.NodeId))),
            unit: "W", description: "Power the node reports, its GPUs' DCGM_FI_DEV_POWER_USAGE summed (plus host power where the agent adds it)");
        Meter.CreateObservableGauge(NodeInstruments[1], () => Nodes.Select(n => new Measurement<double>(n.Sample.GpuUtilization * 100, NodeTags(n.NodeId))),
            unit: "%", description: "Mean GPU utilization of the node, 0 to 100, as DCGM_FI_DEV_GPU_UTIL");
        Meter.CreateObservableGauge(NodeInstruments[2], () => Nodes.Select(n => new Measurement<double>(n.Sample.GpuMemoryUsedGiB * 1024, NodeTags(n.NodeId))),
            unit: "MiBy", description: "GPU framebuffer in use on the node, its GPUs' DCGM_FI_DEV_FB_USED summed");
        Meter.CreateObservableGauge("factorymesh.site.tokens_per_second", () => Sites.Select(site => new Measurement<double>(site.TokensPerSecond, Site(site.SiteId))), description: "Tokens served per second per site");
    }

    /// <summary>The process's instruments.</summary>
    public static FleetMetrics Shared { get; } = new();

    private IEnumerable<Grains.Abstractions.SiteView> Sites => _snapshots.Values.SelectMany(snapshot => snapshot.Sites);

    private IEnumerable<Grains.Abstractions.NodeUtilization> Nodes => _snapshots.Values.SelectMany(snapshot => snapshot.Nodes);

    /// <summary>Counts one appraisal decided by <paramref name="check"/>.</summary>
    public void RecordAppraisal(string check) => _appraisals.Add(1, new KeyValuePair<string, object?>("check", check));

    /// <summary>Counts one key release request ending in <paramref name="outcome"/>.</summary>
    public void RecordKeyDecision(string outcome) => _keyDecisions.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Records how long a placement of <paramref name="kind"/> took.</summary>
    public void RecordPlacement(string kind, TimeSpan elapsed) => _placementSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Replaces <paramref name="publisher"/>'s per-site figures in what the gauges report.</summary>
    public void Publish(object publisher, FleetSnapshot snapshot) => _snapshots[publisher] = snapshot;

    /// <summary>Removes <paramref name="publisher"/>'s figures (its host stops).</summary>
    public void Withdraw(object publisher) => _snapshots.TryRemove(publisher, out _);

    private static Measurement<int> Measure(int count, string siteId, string trust) =>
        new(count, new KeyValuePair<string, object?>("site", siteId), new KeyValuePair<string, object?>("trust", trust));

    private static KeyValuePair<string, object?> Site(string siteId) => new("site", siteId);

    // The node's site is the first segment of its id.
    private static KeyValuePair<string, object?>[] NodeTags(string nodeId) =>
        [new("site", nodeId[..Math.Max(0, nodeId.IndexOf('/', StringComparison.Ordinal))]), new("node", nodeId)];
}
