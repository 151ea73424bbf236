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

    /// <summary>When the last accepted heartbeat arrived (written behind, so up to one flush interval old).</summary>
    [Id(3)] public DateTimeOffset? LastHeartbeatAt { get; set; }

    /// <summary>The latest heartbeat's measurements (written behind).</summary>
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
}
