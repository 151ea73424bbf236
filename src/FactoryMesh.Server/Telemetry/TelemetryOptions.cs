namespace FactoryMesh.Server.Telemetry;

/// <summary><c>FactoryMesh:Telemetry</c>: metrics and traces.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Telemetry";

    /// <summary>How often the per-site gauges are refreshed from the Site grains.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Seconds form of <see cref="SnapshotInterval"/>, as configuration states it.</summary>
    public double SnapshotIntervalSeconds { get => SnapshotInterval.TotalSeconds; set => SnapshotInterval = TimeSpan.FromSeconds(value); }

    /// <summary>How long the dashboard's trend charts reach back: the site samples each silo keeps (<c>HistoryMinutes</c>, 15).</summary>
    public TimeSpan HistoryWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Minutes form of <see cref="HistoryWindow"/>, as configuration states it.</summary>
    public double HistoryMinutes { get => HistoryWindow.TotalMinutes; set => HistoryWindow = TimeSpan.FromMinutes(value); }

    /// <summary>
    /// Whether each node's power, GPU utilization and framebuffer use are exported too (<c>NodeMetrics</c>), as series
    /// named and scaled after DCGM's. Off by default: three series per node is 300,000 series at 100,000 nodes, and each
    /// snapshot then copies every node's latest sample out of its Site grain.
    /// </summary>
    public bool NodeMetrics { get; set; }

    /// <summary>
    /// The most nodes the per-node series are kept for (<c>MaxNodeSeries</c>, 100,000). OpenTelemetry keeps 2,000 series
    /// per instrument unless told otherwise and folds the rest into one overflow series; it sets aside room for this
    /// many when the per-node metrics are on.
    /// </summary>
    public int MaxNodeSeries { get; set; } = 100_000;

    /// <summary>
    /// Whether Orleans' own meters (messaging, activations, storage) are exported too. Off by default: once a listener is
    /// attached Orleans records on every grain message, a cost to measure before a busy silo pays it.
    /// </summary>
    public bool OrleansMeters { get; set; }

    /// <summary>
    /// Whether the Orleans Dashboard is served at <c>/orleans</c> for operators (<c>FactoryMesh:Telemetry:OrleansDashboard</c>).
    /// Off by default: it profiles every grain call through a call filter, a cost not yet measured on the hot path.
    /// </summary>
    public bool OrleansDashboard { get; set; }

    /// <summary>An OTLP endpoint (<c>http://collector:4317</c>) to export metrics and traces to as well; none: only <c>/metrics</c>.</summary>
    public string? OtlpEndpoint { get; set; }
}
