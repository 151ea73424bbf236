using FactoryMesh.Core.Nodes;

namespace FactoryMesh.Grains;

/// <summary>Timing of node liveness and of node state persistence.</summary>
public sealed class NodeLifecycleOptions
{
    /// <summary>The period agents heartbeat at (<c>FactoryMesh:Heartbeat:IntervalSeconds</c>). Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Silence after which a node is NotReady (<c>FactoryMesh:Placement:GraceSeconds</c>). Default 30 s.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a node's latest utilization is written behind to storage and reported to its site
    /// (<c>FactoryMesh:Persistence:UtilizationFlushSeconds</c>). Default 5 s. Inventory, epoch, liveness and
    /// trust changes are written before the call that made them returns, whatever this is.
    /// </summary>
    public TimeSpan UtilizationFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The liveness rule these options describe.</summary>
    public LivenessPolicy Liveness => new(HeartbeatInterval, Grace);
}
