namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>Heartbeat timing: section <c>FactoryMesh:Heartbeat</c>, the key the control plane reads too.</summary>
internal sealed class HeartbeatOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Heartbeat";

    /// <summary>Seconds between heartbeats; must match the control plane's, which marks nodes Suspect after 3 missed.</summary>
    public double IntervalSeconds { get; set; } = 5;

    /// <summary>The interval as a span.</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);
}
