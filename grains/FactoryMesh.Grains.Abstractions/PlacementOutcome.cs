using FactoryMesh.Core.Placement;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>What a placement run did.</summary>
/// <param name="Model">The model afterwards.</param>
/// <param name="Decision">The solver's decision for the replicas it had to add: new replicas, exclusions, binding constraints.</param>
[GenerateSerializer, Immutable]
public sealed record PlacementOutcome(
    [property: Id(0)] ModelView? Model,
    [property: Id(1)] PlacementDecision Decision);
