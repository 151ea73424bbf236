using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The control plane's answer to a registration (the parts the agent uses).</summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Epoch">The registration's epoch: every heartbeat must carry it.</param>
/// <param name="Trust">The node's trust, which a registration does not change.</param>
internal sealed record RegisteredNode(string NodeId, long Epoch, TrustReport? Trust);
