namespace FactoryMesh.Grains;

/// <summary>Names of the grain storage providers the grains persist through.</summary>
public static class FleetStorage
{
    /// <summary>The storage provider holding sites, nodes, tenants and the fleet directory.</summary>
    public const string Name = "fleet";
}
