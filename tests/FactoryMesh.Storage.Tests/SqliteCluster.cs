using System.Net;
using Microsoft.Data.Sqlite;
using Orleans.Configuration;

namespace FactoryMesh.Storage.Tests;

/// <summary>One silo on a SQLite file in a temporary directory; SQLite has no clustering, so membership is localhost.</summary>
public sealed class SqliteCluster : StorageCluster
{
    private readonly string _directory = Directory.CreateTempSubdirectory("factorymesh-sqlite-").FullName;

    public override StorageEngine Engine => StorageEngine.Sqlite;

    protected override int SiloCount => 1;

    /// <summary>A connection string for a new SQLite file next to the cluster's.</summary>
    public string NewDatabase(string name) => $"Data Source={Path.Combine(_directory, name + ".db")};Pooling=True;Default Timeout=30";

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(NewDatabase("cluster"));

    protected override void ConfigureClustering(ISiloBuilder silo, int siloPort, int gatewayPort) =>
        silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: ServiceId, clusterId: ClusterId);

    protected override void ConfigureClustering(IClientBuilder client, IReadOnlyList<int> gatewayPorts) =>
        client.UseStaticClustering(gatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray());

    protected override Task DisposeDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary file is not worth failing the run for.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteClusterDefinition : ICollectionFixture<SqliteCluster>
{
    public const string Name = "SQLite cluster";
}
