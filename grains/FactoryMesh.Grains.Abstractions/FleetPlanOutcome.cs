using FactoryMesh.Core.Placement.Joint;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A joint plan and what applying it did.</summary>
/// <param name="Plan">The plan, per model and in total, with its proven gap.</param>
/// <param name="Applied">False for a dry run: nothing changed.</param>
/// <param name="Added">Replicas placed on new nodes.</param>
/// <param name="Removed">Replicas taken off nodes.</param>
/// <param name="Refused">Planned replicas a node refused when applied (its capacity or trust changed since the plan); the model keeps or re-places instead.</param>
[GenerateSerializer, Immutable]
public sealed record FleetPlanOutcome(
    [property: Id(0)] JointPlacementPlan Plan,
    [property: Id(1)] bool Applied,
    [property: Id(2)] int Added,
    [property: Id(3)] int Removed,
    [property: Id(4)] int Refused);
