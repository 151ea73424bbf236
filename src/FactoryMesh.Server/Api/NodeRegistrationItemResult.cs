using FactoryMesh.Core.Trust;

namespace FactoryMesh.Server.Api;

/// <summary>What became of one node of a batch registration.</summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Registered">Whether it was registered under a new epoch.</param>
/// <param name="Reason">Why not: <c>stale epoch</c> (a newer registration superseded the one expected).</param>
/// <param name="Epoch">The node's epoch now: the new one, or the newer one that refused this registration.</param>
/// <param name="Trust">The node's trust, which a registration does not change.</param>
public sealed record NodeRegistrationItemResult(string NodeId, bool Registered, string? Reason, long Epoch, TrustStatus? Trust);
