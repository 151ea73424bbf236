namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The control plane's answer to one heartbeat of a batch, and what the node must know now.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Accepted">Whether it was taken.</param>
/// <param name="Reason">Why not: <c>unknown node</c>, <c>stale epoch</c>, <c>future epoch</c>, …</param>
/// <param name="Trust">The node's trust state (<c>Trusted</c>, …): unless it is <c>Trusted</c> the node must hold no model key.</param>
/// <param name="Replicas">The replicas the node runs now: keys and weights of any other must be purged.</param>
internal sealed record HeartbeatVerdict(string NodeId, bool Accepted, string? Reason, string? Trust = null, IReadOnlyList<ReplicaAssignment>? Replicas = null)
{
    /// <summary>The node is not registered (the control plane lost it, or never had it).</summary>
    public const string UnknownNode = "unknown node";

    /// <summary>The node was registered again after the heartbeat's epoch.</summary>
    public const string StaleEpoch = "stale epoch";

    /// <summary>The heartbeat's epoch is newer than the control plane knows: its state went back in time.</summary>
    public const string FutureEpoch = "future epoch";
}
