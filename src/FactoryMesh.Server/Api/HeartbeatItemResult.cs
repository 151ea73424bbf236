namespace FactoryMesh.Server.Api;

/// <summary>What became of one heartbeat in a batch.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Accepted">Whether it was taken.</param>
/// <param name="Reason">Why not, when refused: <c>unknown node</c>, <c>stale epoch</c>, <c>future epoch</c>, <c>memory exceeds inventory</c>.</param>
public sealed record HeartbeatItemResult(string NodeId, bool Accepted, string? Reason);
