using FactoryMesh.Core.Tenants;
using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>One model of a <see cref="PlacementBatchRequest"/>.</summary>
/// <param name="Model">What the model needs.</param>
/// <param name="Policy">The owning tenant's constraints and objective weights.</param>
/// <param name="KeptNodeIds">Nodes whose healthy replicas of this model stay; see <see cref="PlacementRequest.KeptNodeIds"/>.</param>
[GenerateSerializer, Immutable]
public sealed record PlacementBatchItem(
    [property: Id(0)] ModelSpec Model,
    [property: Id(1)] TenantPolicy Policy,
    [property: Id(2)] IReadOnlyList<string> KeptNodeIds);
