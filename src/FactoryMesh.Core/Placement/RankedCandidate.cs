using Orleans;

namespace FactoryMesh.Core.Placement;

/// <summary>An eligible candidate with its economics and objective, as the solver weighs it.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="SiteId">The node's site.</param>
/// <param name="Economics">What a replica costs there, per hour and per token.</param>
/// <param name="Objective">The normalized, tenant-weighted objective of one replica there; lower is better.</param>
[GenerateSerializer, Immutable]
public sealed record RankedCandidate(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string SiteId,
    [property: Id(2)] ReplicaEconomics Economics,
    [property: Id(3)] double Objective);
