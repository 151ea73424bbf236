using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A node as operators and schedulers see it.</summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="SiteId">Its site.</param>
/// <param name="Inventory">What it is and what it costs.</param>
/// <param name="Epoch">Registration epoch: bumped by every registration; heartbeats must carry it.</param>
/// <param name="RegisteredAt">When the current epoch began.</param>
/// <param name="Liveness">Whether its agent is heard from, as of now.</param>
/// <param name="LastHeartbeatAt">When its last accepted heartbeat arrived, if any.</param>
/// <param name="Utilization">The latest heartbeat's measurements, if any.</param>
/// <param name="Trust">Trust state.</param>
/// <param name="Replicas">Model replicas placed on it, as <c>{tenantId}/{modelId}</c>.</param>
/// <param name="TeeKeyBound">Whether its current attestation bound a TEE key: without one it is given no model keys.</param>
[GenerateSerializer, Immutable]
public sealed record NodeView(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string SiteId,
    [property: Id(2)] NodeInventory Inventory,
    [property: Id(3)] long Epoch,
    [property: Id(4)] DateTimeOffset RegisteredAt,
    [property: Id(5)] Liveness Liveness,
    [property: Id(6)] DateTimeOffset? LastHeartbeatAt,
    [property: Id(7)] UtilizationSample? Utilization,
    [property: Id(8)] TrustStatus Trust,
    [property: Id(9)] IReadOnlyList<string> Replicas,
    [property: Id(10)] bool TeeKeyBound = false);
