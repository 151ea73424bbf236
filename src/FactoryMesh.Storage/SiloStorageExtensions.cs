using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace FactoryMesh.Storage;

/// <summary>Wires a silo's grain storage, reminders and (for PostgreSQL) clustering to FactoryMesh's own schema.</summary>
public static class SiloStorageExtensions
{
    /// <summary>
    /// Persists grain state in <paramref name="grainStorageName"/> and reminders through Orleans' ADO.NET
    /// providers on <paramref name="engine"/>, installing the schema first. On PostgreSQL, membership goes
    /// through the same database, so silos sharing it form one cluster; SQLite is one silo on localhost.
    /// Grain state is written with Orleans' own version-tolerant binary serializer.
    /// </summary>
    public static ISiloBuilder UseFactoryMeshStorage(this ISiloBuilder builder, StorageEngine engine, string connectionString, string grainStorageName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var invariant = engine.AdoNetInvariant();

        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaInstallParticipant(engine, connectionString));
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

    /// <summary>The connection string of the embedded default's SQLite file.</summary>
    public static string SqliteConnectionString(string databasePath) =>
        $"Data Source={databasePath};Pooling=True;Default Timeout=30";
}
