namespace FactoryMesh.Cli.Tests;

/// <summary>The fmctl tests, sharing one <see cref="FleetServerFixture"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class FleetServerCollection : ICollectionFixture<FleetServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "fmctl against one server";
}
