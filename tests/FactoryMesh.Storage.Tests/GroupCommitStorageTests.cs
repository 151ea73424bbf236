using System.Diagnostics.Metrics;
using FactoryMesh.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace FactoryMesh.Storage.Tests;

/// <summary>The group-commit grain storage on each engine: durable versions, conflicts, shared transactions, partition scans.</summary>
public abstract class GroupCommitStorageTests(StorageCluster cluster)
{
    private IGrainStorage Storage => cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(TestStorage.GroupCommitName);

    private IGrainStatePartitions Partitions => cluster.SiloServices.GetRequiredKeyedService<IGrainStatePartitions>(TestStorage.GroupCommitName);

    [Fact]
    public async Task Thousands_of_concurrent_writes_all_commit_and_share_transactions()
    {
        var partition = "p" + Guid.NewGuid().ToString("N")[..10];
        var batchSizes = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "FactoryMesh.Storage" && instrument.Name == "factorymesh.storage.group_commit.batch_size")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => { lock (batchSizes) { batchSizes.Add(size); } });
        listener.Start();

        const int Grains = 3000;
        var states = Enumerable.Range(0, Grains).Select(i => new GrainState<CounterState>(new CounterState { Value = i })).ToArray();
        await Task.WhenAll(states.Select((state, i) => Storage.WriteStateAsync("counter", GrainId.Create("counter", $"{partition}/g{i}"), state)));

        Assert.All(states, s => Assert.Equal("1", s.ETag));
        var stored = await Partitions.ReadPartitionAsync<CounterState>(partition, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, Grains).Order(), stored.Select(s => s.Value.Value).Order());
        Assert.Equal($"{partition}/g7", stored.Single(s => s.Value.Value == 7).Key);
        lock (batchSizes)
        {
            Assert.True(batchSizes.Max() > 1, "every write went alone: nothing was grouped");
            Assert.True(batchSizes.Count < Grains, $"{batchSizes.Count} transactions for {Grains} writes");
        }
    }

    [Fact]
    public async Task A_write_with_a_stale_version_conflicts_and_the_stored_state_is_kept()
    {
        var grainId = GrainId.Create("counter", $"p{Guid.NewGuid():N}/solo");
        var current = new GrainState<CounterState>(new CounterState { Value = 1 });
        await Storage.WriteStateAsync("counter", grainId, current);
        var stale = new GrainState<CounterState>(new CounterState { Value = 99 }) { ETag = current.ETag };
        current.State!.Value = 2;
        await Storage.WriteStateAsync("counter", grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("counter", grainId, stale));
        var fresh = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("counter", grainId, fresh);
        Assert.Equal((2, "2", true), (fresh.State!.Value, fresh.ETag, fresh.RecordExists));

        // A writer that never saw the row (no version) cannot overwrite it either.
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("counter", grainId, new GrainState<CounterState>(new CounterState { Value = 5 })));
    }

    [Fact]
    public async Task A_partition_scan_returns_its_own_grains_only_and_not_cleared_ones()
    {
        var mine = "p" + Guid.NewGuid().ToString("N")[..10];
        var other = "q" + Guid.NewGuid().ToString("N")[..10];
        var kept = new GrainState<CounterState>(new CounterState { Value = 1, Note = "kept" });
        var cleared = new GrainState<CounterState>(new CounterState { Value = 2 });
        await Storage.WriteStateAsync("counter", GrainId.Create("counter", $"{mine}/kept"), kept);
        await Storage.WriteStateAsync("counter", GrainId.Create("counter", $"{mine}/cleared"), cleared);
        await Storage.WriteStateAsync("counter", GrainId.Create("counter", $"{other}/elsewhere"), new GrainState<CounterState>(new CounterState { Value = 3 }));
        await Storage.ClearStateAsync("counter", GrainId.Create("counter", $"{mine}/cleared"), cleared);

        var scanned = await Partitions.ReadPartitionAsync<CounterState>(mine, CancellationToken.None);

        var only = Assert.Single(scanned);
        Assert.Equal(($"{mine}/kept", "kept"), (only.Key, only.Value.Note));
        Assert.Equal(("2", false), (cleared.ETag, cleared.RecordExists));
    }
}

[Collection(SqliteClusterDefinition.Name)]
public sealed class SqliteGroupCommitStorageTests(SqliteCluster cluster) : GroupCommitStorageTests(cluster);

[Collection(PostgreSqlClusterDefinition.Name)]
public sealed class PostgreSqlGroupCommitStorageTests(PostgreSqlCluster cluster) : GroupCommitStorageTests(cluster);
