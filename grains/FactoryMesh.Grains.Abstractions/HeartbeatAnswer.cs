using FactoryMesh.Core.Trust;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// What a node's agent learns from a heartbeat: whether it was taken, the node's trust, and the replicas it is
/// assigned now. An agent purges the keys and weights of every replica not listed, and all of them when the node
/// is not Trusted: the answer is how revocation reaches the node even when no dashboard event does.
/// </summary>
/// <param name="Refusal"><see cref="HeartbeatRefusal.None"/> when taken.</param>
/// <param name="Trust">The node's trust state now.</param>
/// <param name="Replicas">The replicas it runs now (empty when refused).</param>
[GenerateSerializer, Immutable]
public sealed record HeartbeatAnswer(
    [property: Id(0)] HeartbeatRefusal Refusal,
    [property: Id(1)] TrustState Trust,
    [property: Id(2)] IReadOnlyList<ReplicaAssignment> Replicas)
{
    /// <summary>The answer for a node that is not registered.</summary>
    public static HeartbeatAnswer Unknown { get; } = new(HeartbeatRefusal.UnknownNode, TrustState.Unknown, []);
}
