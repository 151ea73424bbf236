using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Server.Api;

/// <summary>What became of one heartbeat in a batch, and what the node's agent must know now.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Accepted">Whether it was taken.</param>
/// <param name="Reason">Why not, when refused: <c>unknown node</c>, <c>stale epoch</c>, <c>future epoch</c>, <c>memory exceeds inventory</c>.</param>
/// <param name="Trust">The node's trust state: an agent purges every model key it holds unless it is <c>Trusted</c>.</param>
/// <param name="Replicas">The replicas the node runs now, with their placement epochs: keys and weights of any other must be purged.</param>
public sealed record HeartbeatItemResult(string NodeId, bool Accepted, string? Reason, TrustState Trust, IReadOnlyList<ReplicaAssignment> Replicas);
