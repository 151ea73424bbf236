namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The control plane's answer to one heartbeat of a batch.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Accepted">Whether it was taken.</param>
/// <param name="Reason">Why not: <c>unknown node</c>, <c>stale epoch</c>, <c>future epoch</c>, …</param>
internal sealed record HeartbeatVerdict(string NodeId, bool Accepted, string? Reason)
{
    /// <summary>The node is not registered (the control plane lost it, or never had it).</summary>
    public const string UnknownNode = "unknown node";

    /// <summary>The node was registered again after the heartbeat's epoch.</summary>
    public const string StaleEpoch = "stale epoch";

    /// <summary>The heartbeat's epoch is newer than the control plane knows: its state went back in time.</summary>
    public const string FutureEpoch = "future epoch";
}
