using FactoryMesh.Core.Trust;
using Orleans;

namespace FactoryMesh.Core.Nodes;

/// <summary>
/// The compact facts about one node that placement decides on. Node grains keep their site's index of
/// these current, so the scheduler reads one Site grain per site and never visits every node grain.
/// </summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Inventory">GPU model, count, memory, TEE kind, power and cost.</param>
/// <param name="FreeGpuMemoryGiB">GPU memory not reserved by replicas, GiB.</param>
/// <param name="Trust">Trust state and when it expires.</param>
/// <param name="Liveness">Whether the node's agent is heard from.</param>
/// <param name="Epoch">The registration epoch these facts belong to.</param>
[GenerateSerializer, Immutable]
public sealed record NodePlacementFacts(
    [property: Id(0)] string NodeId,
    [property: Id(1)] NodeInventory Inventory,
    [property: Id(2)] double FreeGpuMemoryGiB,
    [property: Id(3)] TrustStatus Trust,
    [property: Id(4)] Liveness Liveness,
    [property: Id(5)] long Epoch);
