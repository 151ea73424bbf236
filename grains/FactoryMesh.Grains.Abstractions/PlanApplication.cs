namespace FactoryMesh.Grains.Abstractions;

/// <summary>What a model did with its part of a joint plan.</summary>
/// <param name="Added">Replicas placed on new nodes.</param>
/// <param name="Removed">Replicas taken off nodes.</param>
/// <param name="Refused">New nodes that refused the reservation.</param>
[GenerateSerializer, Immutable]
public sealed record PlanApplication(
    [property: Id(0)] int Added,
    [property: Id(1)] int Removed,
    [property: Id(2)] int Refused);
