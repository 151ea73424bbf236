namespace FactoryMesh.Contracts.Http;

/// <summary>The control plane's answer to one heartbeat of a batch, and what the node's agent must know now.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Accepted">Whether it was taken.</param>
/// <param name="Code">Why not, for programs: one of <see cref="HeartbeatRefusalCodes"/>; null when taken.</param>
/// <param name="Reason">Why not, for people (<c>unknown node</c>, …); null when taken.</param>
/// <param name="Trust">The node's trust state (<c>Trusted</c>, …): unless it is <c>Trusted</c> the node must hold no model key.</param>
/// <param name="Replicas">The replicas the node runs now, with their placement epochs: the weights of any other must be purged.</param>
public sealed record HeartbeatVerdict(
    string NodeId,
    bool Accepted,
    string? Code,
    string? Reason,
    string? Trust = null,
    IReadOnlyList<ReplicaAssignment>? Replicas = null);
