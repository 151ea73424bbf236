using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace FactoryMesh.Storage.Tests;

/// <summary>Grain state through Orleans' ADO.NET grain storage, on each engine's schema.</summary>
public abstract class GrainStorageTests(StorageCluster cluster)
{
    private const string RowCountSql = """
        SELECT COUNT(*) FROM GrainState
        WHERE ServiceId = @ServiceId AND GrainType = @GrainType AND GrainIdN0 = 0 AND GrainIdN1 = @N1 AND GrainIdString = @Key
        """;

    private const string VersionSql = """
        SELECT Version FROM GrainState
        WHERE ServiceId = @ServiceId AND GrainType = @GrainType AND GrainIdN0 = 0 AND GrainIdN1 = @N1 AND GrainIdString = @Key
        """;

    [Fact]
    public async Task A_grain_written_200_times_keeps_one_row_and_its_version_counts_every_write()
    {
        var key = "many-" + Guid.NewGuid().ToString("N");
        var grain = cluster.Client.GetGrain<ICounterGrain>(key);

        for (var i = 1; i <= 200; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await grain.Write(i));
        }

        Assert.Equal(1, await Rows("counter", 0, key));
        Assert.Equal(200, await Version("counter", 0, key));
        Assert.Equal(new StoredCounter(200, "200", true), await grain.Read());
    }

    [Fact]
    public async Task An_integer_keyed_grain_without_key_extension_keeps_one_row()
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        var grain = cluster.Client.GetGrain<INumberedCounterGrain>(key);

        await grain.Write(1);
        await grain.Write(2);
        Assert.Equal("3", await grain.Write(3));

        // Orleans sends NULL for the missing extension; the schema stores it as the empty string.
        Assert.Equal(1, await Rows("numbered-counter", key, string.Empty));
        Assert.Equal(new StoredCounter(3, "3", true), await grain.Read());
    }

    [Fact]
    public async Task A_write_or_clear_with_a_stale_etag_conflicts_and_changes_nothing()
    {
        var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(TestStorage.Name);
        var key = "stale-" + Guid.NewGuid().ToString("N");
        var grainId = GrainId.Create("counter", key);

        var counter = new CounterState { Value = 1 };
        var current = new GrainState<CounterState>(counter);
        await storage.WriteStateAsync("counter", grainId, current);
        var stale = new GrainState<CounterState>(new CounterState { Value = 99 }, current.ETag) { RecordExists = true };
        counter.Value = 2;
        await storage.WriteStateAsync("counter", grainId, current);
        Assert.Equal("2", current.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", grainId, stale));

        // A writer that never read the grain believes it is new: its first write must not overwrite.
        var blind = new GrainState<CounterState>(new CounterState { Value = 98 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grainId, blind));

        var read = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", grainId, read);
        Assert.Equal(2, read.State?.Value);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(1, await Rows("counter", 0, key));
        Assert.Equal(2, await Version("counter", 0, key));
    }

    [Fact]
    public async Task Clearing_keeps_the_row_and_the_next_write_continues_its_version()
    {
        var key = "clear-" + Guid.NewGuid().ToString("N");
        var grain = cluster.Client.GetGrain<ICounterGrain>(key);

        Assert.Equal("1", await grain.Write(5));
        await grain.Clear();
        Assert.Equal(new StoredCounter(0, "2", false), await grain.Read());

        Assert.Equal("3", await grain.Write(6));
        Assert.Equal(new StoredCounter(6, "3", true), await grain.Read());
        Assert.Equal(1, await Rows("counter", 0, key));
    }

    [Fact]
    public async Task A_grain_never_written_reads_as_new()
    {
        var grain = cluster.Client.GetGrain<ICounterGrain>("fresh-" + Guid.NewGuid().ToString("N"));

        Assert.Equal(new StoredCounter(0, null, false), await grain.Read());
    }

    private Task<long> Rows(string grainType, long n1, string key) =>
        cluster.ScalarAsync(RowCountSql, ("ServiceId", cluster.ServiceId), ("GrainType", grainType), ("N1", n1), ("Key", key));

    private Task<long> Version(string grainType, long n1, string key) =>
        cluster.ScalarAsync(VersionSql, ("ServiceId", cluster.ServiceId), ("GrainType", grainType), ("N1", n1), ("Key", key));
}

[Collection(SqliteClusterDefinition.Name)]
public sealed class SqliteGrainStorageTests(SqliteCluster cluster) : GrainStorageTests(cluster);

[Collection(PostgreSqlClusterDefinition.Name)]
public sealed class PostgreSqlGrainStorageTests(PostgreSqlCluster cluster) : GrainStorageTests(cluster);
