using Orleans;

namespace FactoryMesh.Core.Tenants;

/// <summary>How much a tenant cares about each placement objective; relative, not necessarily summing to 1.</summary>
/// <param name="Cost">Weight of cost per token.</param>
/// <param name="Energy">Weight of energy per token.</param>
/// <param name="Carbon">Weight of carbon per token.</param>
[GenerateSerializer, Immutable]
public sealed record ObjectiveWeights(
    [property: Id(0)] double Cost,
    [property: Id(1)] double Energy,
    [property: Id(2)] double Carbon)
{
    /// <summary>All weight on cost: the default when a tenant states none.</summary>
    public static ObjectiveWeights CostOnly { get; } = new(1, 0, 0);
}
