using FactoryMesh.Core.Trust;

namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>A node's trust changed (client method <c>trustChanged</c>); sent at once, never throttled.</summary>
[GenerateSerializer, Immutable]
public sealed record TrustChangedEvent(
    [property: Id(0)] string NodeId,
    string SiteId,
    [property: Id(1)] TrustState State,
    [property: Id(2)] TrustState PreviousState,
    [property: Id(3)] DateTimeOffset? ExpiresAt,
    [property: Id(4)] string Reason,
    DateTimeOffset At) : FleetEvent(SiteId, At);
