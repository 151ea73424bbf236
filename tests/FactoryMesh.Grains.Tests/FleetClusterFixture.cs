namespace FactoryMesh.Grains.Tests;

/// <summary>One SQLite-backed cluster shared by the tests of <see cref="FleetClusterCollection"/>; each test uses its own grain keys.</summary>
public sealed class FleetClusterFixture : IAsyncLifetime
{
    private SqliteFleetCluster? _cluster;

    /// <summary>The shared cluster.</summary>
    public SqliteFleetCluster Fleet => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _cluster = await SqliteFleetCluster.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// Every test that starts a cluster belongs here: clusters are configured through statics, so they start one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FleetClusterCollection : ICollectionFixture<FleetClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "fleet cluster";
}
