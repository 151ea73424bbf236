namespace FactoryMesh.Grains;

/// <summary>Capacity a node holds for one model replica.</summary>
/// <param name="GpuMemoryGiB">GPU memory held.</param>
/// <param name="PlacementEpoch">The model's placement epoch that put it here: a fencing token for key release.</param>
[GenerateSerializer, Immutable]
public sealed record ReplicaReservation(
    [property: Id(0)] double GpuMemoryGiB,
    [property: Id(1)] long PlacementEpoch);
