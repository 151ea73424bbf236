namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The control plane's answer on one node of a batch registration.</summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Registered">Whether it was registered under a new epoch.</param>
/// <param name="Reason">Why not (<c>stale epoch</c>).</param>
/// <param name="Epoch">The node's epoch now: every heartbeat must carry it.</param>
/// <param name="Trust">The node's trust, which a registration does not change.</param>
internal sealed record NodeRegistrationVerdict(string NodeId, bool Registered, string? Reason, long Epoch, TrustReport? Trust)
{
    /// <summary>What the node learns from a registration that took.</summary>
    public RegisteredNode AsRegistered() => new(NodeId, Epoch, Trust);
}
