using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using FactoryMesh.Grains;
using FactoryMesh.Storage.GroupCommit;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;

namespace FactoryMesh.Storage;

/// <summary>Wires a silo's grain storage, reminders and (for PostgreSQL) clustering to FactoryMesh's own schema.</summary>
public static class SiloStorageExtensions
{
    /// <summary>
    /// Persists grain state in <paramref name="grainStorageName"/> and reminders through Orleans' ADO.NET
    /// providers on <paramref name="engine"/>, installing the schema first unless <paramref name="installSchema"/> is
    /// false (the host prepared it: <see cref="SchemaInstaller.PrepareAsync"/>). On PostgreSQL, membership goes
    /// through the same database, so silos sharing it form one cluster; SQLite is one silo on localhost.
    /// Grain state is written with Orleans' own version-tolerant binary serializer.
    /// </summary>
    public static ISiloBuilder UseFactoryMeshStorage(this ISiloBuilder builder, StorageEngine engine, string connectionString, string grainStorageName, bool installSchema = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var invariant = engine.AdoNetInvariant();

        if (installSchema)
        {
            builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaInstallParticipant(engine, connectionString));
        }

        builder.AddAdoNetGrainStorage(grainStorageName, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        builder.UseAdoNetReminderService(o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });

        if (engine == StorageEngine.PostgreSql)
        {
            builder.UseAdoNetClustering(o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
            });
        }

        return builder;
    }

    /// <summary>
    /// Adds <see cref="GroupCommitGrainStorage"/> as grain storage <paramref name="name"/> on the same database: for
    /// grains that are many and write often, whose concurrent writes should share transactions, and whose rows are
    /// read back a partition at a time (<paramref name="partitionKey"/> names a grain's partition). The grains'
    /// <see cref="IGrainStatePartitions"/> is registered under the same key. Call after
    /// <see cref="UseFactoryMeshStorage"/>, which installs the schema.
    /// </summary>
    public static ISiloBuilder AddGroupCommitGrainStorage(
        this ISiloBuilder builder, string name, StorageEngine engine, string connectionString, Func<GrainId, string> partitionKey, int maxBatch = 1000)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(partitionKey);
        builder.Services.AddGrainStorage(name, (services, storageName) =>
        {
            IStateRowStore rows = engine switch
            {
                StorageEngine.Sqlite => new SqliteStateRowStore(connectionString),
                StorageEngine.PostgreSql => new PostgreSqlStateRowStore(connectionString),
                _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown storage engine."),
            };
            var serviceId = services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
            var serializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<GroupCommitGrainStorage>();
            return new GroupCommitGrainStorage(storageName, serviceId, rows, partitionKey, serializer, maxBatch, logger);
        });
        builder.Services.AddKeyedSingleton<IGrainStatePartitions>(name, (services, key) => (GroupCommitGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(key));
        return builder;
    }

    /// <summary>The connection string of the embedded default's SQLite file.</summary>
    public static string SqliteConnectionString(string databasePath) =>
        $"Data Source={databasePath};Pooling=True;Default Timeout=30";
}
