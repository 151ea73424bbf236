namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>Heartbeat timing and buffering: section <c>FactoryMesh:Heartbeat</c>, the key the control plane reads too.</summary>
internal sealed class HeartbeatOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Heartbeat";

    /// <summary>Seconds between heartbeats; must match the control plane's, which marks nodes Suspect after 3 missed.</summary>
    public double IntervalSeconds { get; set; } = 5;

    /// <summary>
    /// Heartbeats kept while the control plane is unreachable; past this the oldest are dropped (and counted).
    /// The default holds a 100-node site's heartbeats for about eight minutes.
    /// </summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>The interval as a span.</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);
}
