using FactoryMesh.Core.Nodes;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>One node's accepted heartbeat sample, as reported to its site.</summary>
/// <param name="NodeId">The node, <c>{siteId}/{name}</c>.</param>
/// <param name="Sample">Its measurements, stamped with the instant the control plane took them.</param>
[GenerateSerializer, Immutable]
public sealed record NodeUtilization([property: Id(0)] string NodeId, [property: Id(1)] UtilizationSample Sample);
