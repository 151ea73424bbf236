namespace FactoryMesh.Contracts.Http;

/// <summary>The control plane's answer on one node of a batch registration.</summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Registered">Whether it was registered under a new epoch.</param>
/// <param name="Code">Why not, for programs: one of <see cref="RegistrationRefusalCodes"/>; null when registered.</param>
/// <param name="Reason">Why not, for people (<c>stale epoch</c>); null when registered.</param>
/// <param name="Epoch">The node's epoch now: the new one, or the newer one that refused this registration.</param>
/// <param name="Trust">The node's trust, which a registration does not change.</param>
public sealed record NodeRegistrationResult(string NodeId, bool Registered, string? Code, string? Reason, long Epoch, TrustReport? Trust);
