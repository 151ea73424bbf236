using FactoryMesh.Core.Placement;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>Why a placement comes out as it does: the decision, and every eligible candidate with its figures.</summary>
/// <param name="Decision">What the solver would choose now, from scratch, with every node not chosen and why.</param>
/// <param name="Ranked">The eligible candidates, best objective first, with their economics.</param>
[GenerateSerializer, Immutable]
public sealed record PlacementExplanation(
    [property: Id(0)] PlacementDecision Decision,
    [property: Id(1)] IReadOnlyList<RankedCandidate> Ranked);
