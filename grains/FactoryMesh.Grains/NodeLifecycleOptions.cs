using FactoryMesh.Core.Nodes;

namespace FactoryMesh.Grains;

/// <summary>Timing of node liveness.</summary>
public sealed class NodeLifecycleOptions
{
    /// <summary>The period agents heartbeat at (<c>FactoryMesh:Heartbeat:IntervalSeconds</c>). Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Silence after which a node is NotReady (<c>FactoryMesh:Placement:GraceSeconds</c>). Default 30 s.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The liveness rule these options describe.</summary>
    public LivenessPolicy Liveness => new(HeartbeatInterval, Grace);

    /// <summary><see cref="HeartbeatInterval"/> in seconds (<c>FactoryMesh:Heartbeat:IntervalSeconds</c>).</summary>
    public double IntervalSeconds { get => HeartbeatInterval.TotalSeconds; set => HeartbeatInterval = TimeSpan.FromSeconds(value); }

    /// <summary><see cref="Grace"/> in seconds (<c>FactoryMesh:Placement:GraceSeconds</c>).</summary>
    public double GraceSeconds { get => Grace.TotalSeconds; set => Grace = TimeSpan.FromSeconds(value); }
}
