namespace FactoryMesh.Server.Tests;

/// <summary>One server shared by the API tests; each test uses site and tenant ids of its own.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    /// <summary>The shared server.</summary>
    public ServerFactory Server { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync()
    {
        _ = Server.Server; // starts the host: silo, schema, operator token
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The tests sharing <see cref="ServerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "server";
}
