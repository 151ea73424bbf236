using System.Net;
using FactoryMesh.Testing;
using Npgsql;

namespace FactoryMesh.Storage.Tests;

/// <summary>
/// One throwaway PostgreSQL server for the whole run, and on it two silos that form their cluster through
/// ADO.NET clustering; the client finds them through the gateway query.
/// </summary>
public sealed class PostgreSqlCluster : StorageCluster
{
    // The database runs in a zone far from UTC, so a timestamp that slips through without its time zone
    // shows up as an hours-off value instead of passing by luck.
    private const string OddTimeZone = "Pacific/Chatham";

    private PostgreSqlServer? _server;

    public override StorageEngine Engine => StorageEngine.PostgreSql;

    /// <summary>The shared server, for tests that need a database of their own.</summary>
    public PostgreSqlServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    protected override int SiloCount => 2;

    protected override async Task<string> CreateDatabaseAsync()
    {
        _server = await PostgreSqlServer.StartAsync();
        return await NewDatabaseAsync("cluster");
    }

    /// <summary>A new empty database on the shared server, in the odd time zone.</summary>
    public async Task<string> NewDatabaseAsync(string name)
    {
        var connectionString = await Server.CreateDatabaseAsync(name);
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"ALTER DATABASE \"{name}\" SET timezone TO '{OddTimeZone}'";
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    protected override void ConfigureClustering(ISiloBuilder silo, int siloPort, int gatewayPort)
    {
        silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Engine.AdoNetInvariant();
            o.ConnectionString = ConnectionString;
        });
    }

    protected override void ConfigureClustering(IClientBuilder client, IReadOnlyList<int> gatewayPorts) =>
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = Engine.AdoNetInvariant();
            o.ConnectionString = ConnectionString;
        });

    protected override async Task DisposeDatabaseAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlClusterDefinition : ICollectionFixture<PostgreSqlCluster>
{
    public const string Name = "PostgreSQL cluster";
}
