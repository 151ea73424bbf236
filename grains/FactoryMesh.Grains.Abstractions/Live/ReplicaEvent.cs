namespace FactoryMesh.Grains.Abstractions.Live;

/// <summary>A model replica was placed on or evicted from a node (client methods <c>replicaPlaced</c>, <c>replicaEvicted</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ReplicaEvent(
    [property: Id(0)] bool Placed,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string ModelId,
    [property: Id(3)] string NodeId,
    string SiteId,
    [property: Id(4)] string Reason,
    DateTimeOffset At) : FleetEvent(SiteId, At);
