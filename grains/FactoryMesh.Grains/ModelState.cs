using FactoryMesh.Core.Placement;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>A model grain's durable state.</summary>
[GenerateSerializer]
public sealed class ModelState
{
    /// <summary>What the model needs; null until it is defined.</summary>
    [Id(0)] public ModelSpec? Spec { get; set; }

    /// <summary>Its encrypted weights, if registered.</summary>
    [Id(1)] public ModelArtifact? Artifact { get; set; }

    /// <summary>Where its replicas run, by node id.</summary>
    [Id(2)] public Dictionary<string, PlacedReplica> Replicas { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bumped by every change of placement.</summary>
    [Id(3)] public long PlacementEpoch { get; set; }
}
