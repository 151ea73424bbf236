using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>A candidate that received no replica, and why.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Reason">The constraint or comparison that ruled it out.</param>
/// <param name="Detail">The same in words, with the figures that decided it.</param>
[GenerateSerializer, Immutable]
public sealed record NodeExclusion(
    [property: Id(0)] string NodeId,
    [property: Id(1)] ExclusionReason Reason,
    [property: Id(2)] string Detail);
