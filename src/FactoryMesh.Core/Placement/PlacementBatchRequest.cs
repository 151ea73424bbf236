using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>
/// Many models to place on one fleet, in order: each model sees the fleet as the ones before it left it, their new replicas'
/// GPUs reserved. What a re-placement after a site loss, or a bulk deployment, asks for.
/// </summary>
/// <param name="Candidates">The fleet, shared by every model.</param>
/// <param name="Items">The models, in the order they are placed.</param>
/// <param name="Now">The instant trust is judged at.</param>
/// <param name="MinRemainingFreshness">How long a node's trust must still last for it to receive a replica.</param>
[GenerateSerializer, Immutable]
public sealed record PlacementBatchRequest(
    [property: Id(0)] IReadOnlyList<PlacementCandidate> Candidates,
    [property: Id(1)] IReadOnlyList<PlacementBatchItem> Items,
    [property: Id(2)] DateTimeOffset Now,
    [property: Id(3)] TimeSpan MinRemainingFreshness);
