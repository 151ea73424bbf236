using FactoryMesh.Core.Placement;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A model as schedulers and its tenant's viewers see it.</summary>
/// <param name="TenantId">Its tenant.</param>
/// <param name="ModelId">Its id within the tenant.</param>
/// <param name="Spec">What it needs.</param>
/// <param name="Artifact">Its encrypted weights, if registered.</param>
/// <param name="Replicas">Where it runs.</param>
/// <param name="PlacementEpoch">Bumped by every change of placement: a replica's epoch must be the current one to get keys.</param>
/// <param name="Status"><c>Unplaced</c>, <c>Placed</c> (all replicas), or <c>Degraded</c> (fewer than asked).</param>
/// <param name="TotalCostUsdPerHour">What its replicas cost together, USD per hour.</param>
[GenerateSerializer, Immutable]
public sealed record ModelView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] ModelSpec Spec,
    [property: Id(3)] ModelArtifact? Artifact,
    [property: Id(4)] IReadOnlyList<PlacedReplica> Replicas,
    [property: Id(5)] long PlacementEpoch,
    [property: Id(6)] string Status,
    [property: Id(7)] double TotalCostUsdPerHour);
