namespace FactoryMesh.Grains.Abstractions;

/// <summary>The answer to a node registration.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Node">The node as it now stands (as it stood, when refused), or null when it never existed.</param>
[GenerateSerializer, Immutable]
public sealed record RegistrationResult(
    [property: Id(0)] RegistrationOutcome Outcome,
    [property: Id(1)] NodeView? Node);
