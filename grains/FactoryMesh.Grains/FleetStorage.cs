namespace FactoryMesh.Grains;

/// <summary>Names of the grain storage providers the grains persist through.</summary>
public static class FleetStorage
{
    /// <summary>The storage provider holding sites, tenants, models and the fleet directory.</summary>
    public const string Name = "fleet";

    /// <summary>
    /// The storage provider holding node grains: group commit (many nodes' writes in one transaction), partitioned
    /// by site so that a site grain reads all its nodes' states in one scan (<see cref="IGrainStatePartitions"/>).
    /// Device pins use it too, each in a partition of its own (their keys are longer than any site id).
    /// </summary>
    public const string Nodes = "nodes";

    /// <summary>The partition a node grain's state is stored under: its site (node keys are <c>{siteId}/{name}</c>).</summary>
    public static string NodePartition(GrainId grainId)
    {
        var key = grainId.Key.ToString()!;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? key[..slash] : key;
    }
}
