using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Grains;

/// <summary>A node grain's durable state.</summary>
[GenerateSerializer]
public sealed class NodeState
{
    /// <summary>What the node is; null until it is first registered.</summary>
    [Id(0)] public NodeInventory? Inventory { get; set; }

    /// <summary>Registration epoch, bumped by each registration.</summary>
    [Id(1)] public long Epoch { get; set; }

    /// <summary>When the current epoch began.</summary>
    [Id(2)] public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>When the last accepted heartbeat arrived: stored with the next write (a liveness change, a deactivation), never per heartbeat.</summary>
    [Id(3)] public DateTimeOffset? LastHeartbeatAt { get; set; }

    /// <summary>The latest heartbeat's measurements: stored with the next write, never per heartbeat.</summary>
    [Id(4)] public UtilizationSample? Utilization { get; set; }

    /// <summary>Trust as last decided.</summary>
    [Id(5)] public TrustStatus Trust { get; set; } = TrustStatus.NeverAttested;

    /// <summary>Liveness as last published to the site index.</summary>
    [Id(6)] public Liveness Liveness { get; set; }

    /// <summary>Replicas placed on the node, by <c>{tenantId}/{modelId}</c>, with the capacity they hold.</summary>
    [Id(10)] public Dictionary<string, ReplicaReservation> Replicas { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The TEE public key (JWK) bound in the current attestation; key releases are wrapped to it.</summary>
    [Id(8)] public string? TeePublicKeyJwk { get; set; }

    /// <summary>Thumbprints and serials of the device certificates the current attestation used.</summary>
    [Id(9)] public List<string> Certificates { get; set; } = [];

    /// <summary>GPU memory not held by replicas, GiB; needs <see cref="Inventory"/>.</summary>
    public double FreeGpuMemoryGiB => Inventory!.TotalGpuMemoryGiB - Replicas.Values.Sum(r => r.GpuMemoryGiB);

    /// <summary>
    /// What the site index keeps of this node, or null for a node never registered. The node grain publishes these
    /// on every change; the site grain also derives them from stored states when it rebuilds its index.
    /// </summary>
    public NodePlacementFacts? Facts(string nodeId) =>
        Inventory is { } inventory ? new NodePlacementFacts(nodeId, inventory, FreeGpuMemoryGiB, Trust, Liveness, Epoch) : null;
}
