namespace FactoryMesh.Grains;

/// <summary>The fleet directory's durable state.</summary>
[GenerateSerializer]
public sealed class FleetDirectoryState
{
    /// <summary>Every site id.</summary>
    [Id(0)] public SortedSet<string> Sites { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every tenant id.</summary>
    [Id(1)] public SortedSet<string> Tenants { get; set; } = new(StringComparer.Ordinal);
}
