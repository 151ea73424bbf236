using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace FactoryMesh.Storage.Tests;

/// <summary>Reminders through Orleans' ADO.NET reminder table, on each engine's schema.</summary>
public abstract class ReminderTests(StorageCluster cluster)
{
    private IReminderTable Table => cluster.SiloServices.GetRequiredService<IReminderTable>();

    [Fact]
    public async Task A_grain_registers_lists_re_registers_and_unregisters_its_reminders()
    {
        var key = "reminders-" + Guid.NewGuid().ToString("N");
        var grain = cluster.Client.GetGrain<IReminderGrain>(key);

        await grain.Register("alpha", TimeSpan.FromMinutes(5));
        await grain.Register("beta", TimeSpan.FromMinutes(10));
        await grain.Register("alpha", TimeSpan.FromMinutes(7));
        Assert.Equal(["alpha", "beta"], await grain.Names());

        Assert.True(await grain.Unregister("alpha"));
        Assert.False(await grain.Unregister("alpha"));
        Assert.Equal(["beta"], await grain.Names());

        var rows = await cluster.ScalarAsync(
            "SELECT COUNT(*) FROM GrainReminder WHERE ServiceId = @ServiceId AND GrainId = @GrainId",
            ("ServiceId", cluster.ServiceId), ("GrainId", grain.GetGrainId().ToString()));
        Assert.Equal(1, rows);
    }

    [Fact]
    public async Task A_reminder_row_round_trips_and_goes_only_with_its_current_etag()
    {
        var grainId = GrainId.Create("reminder-probe", Guid.NewGuid().ToString("N"));
        // Microsecond precision (PostgreSQL keeps microseconds) and a period past 2^31 ms, which Orleans binds as a bigint.
        var start = new DateTime(2031, 5, 17, 8, 30, 15, 123, 456, DateTimeKind.Utc);
        var longPeriod = TimeSpan.FromDays(40);

        var first = await Table.UpsertRow(Entry(grainId, "r", start.AddDays(-1), TimeSpan.FromMinutes(3)));
        var second = await Table.UpsertRow(Entry(grainId, "r", start, longPeriod));
        Assert.NotNull(first);
        Assert.NotEqual(first, second);

        var row = await Table.ReadRow(grainId, "r");
        Assert.NotNull(row);
        Assert.Equal(grainId, row.GrainId);
        Assert.Equal(second, row.ETag);
        Assert.Equal(start, row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(longPeriod, row.Period);
        Assert.Single((await Table.ReadRows(grainId)).Reminders);

        Assert.False(await Table.RemoveRow(grainId, "r", first));
        Assert.NotNull(await Table.ReadRow(grainId, "r"));
        Assert.True(await Table.RemoveRow(grainId, "r", second!));
        Assert.Null(await Table.ReadRow(grainId, "r"));
        Assert.False(await Table.RemoveRow(grainId, "r", second!));
        Assert.Empty((await Table.ReadRows(grainId)).Reminders);
    }

    [Fact]
    public async Task Range_reads_follow_the_unsigned_hash_ring_across_zero_and_the_sign_boundary()
    {
        // Three grains in each quarter of the ring, so that ranges cross both 0 and 2^31.
        var run = Guid.NewGuid().ToString("N");
        var grains = new List<GrainId>();
        var perQuarter = new int[4];
        for (var i = 0; perQuarter.Any(n => n < 3); i++)
        {
            var grainId = GrainId.Create("ring-probe", $"{run}-{i}");
            var quarter = (int)(grainId.GetUniformHashCode() >> 30);
            if (perQuarter[quarter] < 3)
            {
                perQuarter[quarter]++;
                grains.Add(grainId);
            }
        }

        foreach (var grainId in grains)
        {
            await Table.UpsertRow(Entry(grainId, "tick", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        var bounds = hashes.Concat([0u, 1u, 0x7FFF_FFFFu, 0x8000_0000u, uint.MaxValue]).Distinct().ToArray();
        var ours = grains.ToHashSet();
        foreach (var begin in bounds)
        {
            foreach (var end in bounds)
            {
                var expected = grains.Where(g => InRing(begin, end, g.GetUniformHashCode())).Order().ToList();
                var actual = (await Table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).Where(ours.Contains).Order().ToList();
                Assert.True(expected.SequenceEqual(actual), $"Range ({begin:X8}, {end:X8}]: expected {expected.Count} reminders, read {actual.Count}.");
            }
        }

        foreach (var grainId in grains)
        {
            var row = await Table.ReadRow(grainId, "tick");
            Assert.NotNull(row?.ETag);
            Assert.True(await Table.RemoveRow(grainId, "tick", row.ETag));
        }
    }

    // Orleans' ring range: begin exclusive, end inclusive, wrapping past uint.MaxValue; begin == end is the whole ring.
    private static bool InRing(uint begin, uint end, uint hash) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Entry(GrainId grainId, string name, DateTime start, TimeSpan period) => new()
    {
        GrainId = grainId,
        ReminderName = name,
        StartAt = start,
        Period = period,
    };
}

[Collection(SqliteClusterDefinition.Name)]
public sealed class SqliteReminderTests(SqliteCluster cluster) : ReminderTests(cluster);

[Collection(PostgreSqlClusterDefinition.Name)]
public sealed class PostgreSqlReminderTests(PostgreSqlCluster cluster) : ReminderTests(cluster);
