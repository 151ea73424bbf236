using FactoryMesh.Core.Nodes;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A GPU node, keyed by <c>{siteId}/{name}</c>: inventory, liveness, trust and utilization.</summary>
[Alias("FactoryMesh.INodeGrain")]
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the node (or re-registers it) under a new epoch; durable, and in the site index, before it
    /// returns. With <paramref name="expectedEpoch"/>, refuses when the node has moved past it.
    /// </summary>
    [Alias("Register")]
    Task<RegistrationResult> RegisterAsync(NodeInventory inventory, long? expectedEpoch);

    /// <summary>Takes a heartbeat sent under <paramref name="epoch"/>; the sample is persisted behind, on a timer.</summary>
    [Alias("Heartbeat")]
    Task<HeartbeatRefusal> HeartbeatAsync(long epoch, UtilizationSample sample);

    /// <summary>The node, or null when it was never registered.</summary>
    [Alias("Get")]
    Task<NodeView?> GetAsync();

    /// <summary>Wakes the node so that it re-evaluates its liveness and keeps its site index current.</summary>
    [Alias("Resume"), Orleans.Concurrency.OneWay]
    Task ResumeAsync();
}
