using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Heartbeats;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>Each node's newest unsent heartbeat, and how batches are cut from them.</summary>
public sealed class LatestHeartbeatsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static HeartbeatReport Beat(string node, double utilization, int second) => new($"s-1/{node}", 1, utilization, 0, 0, 0, T0.AddSeconds(second));

    [Fact]
    public void A_node_sampled_again_before_sending_keeps_only_its_newest_sample_and_the_replaced_one_is_counted()
    {
        var latest = new LatestHeartbeats();

        var superseded = new[] { ("a", 0.1, 1), ("b", 0.2, 1), ("a", 0.3, 2), ("c", 0.4, 2), ("a", 0.5, 3), ("b", 0.6, 3) }
            .Count(b => latest.Set(Beat(b.Item1, b.Item2, b.Item3)));

        Assert.Equal(3, superseded);
        Assert.Equal([("s-1/a", 0.5), ("s-1/b", 0.6), ("s-1/c", 0.4)], latest.TakeBatch(1000).Select(b => (b.NodeId, b.GpuUtilization)));
        Assert.Equal(0, latest.Count);
    }

    [Fact]
    public void A_sample_older_than_the_one_waiting_does_not_replace_it()
    {
        var latest = new LatestHeartbeats();
        latest.Set(Beat("a", 0.9, 5));

        latest.Set(Beat("a", 0.1, 4));

        Assert.Equal(0.9, latest.TakeBatch(10).Single().GpuUtilization);
    }

    [Fact]
    public void An_outage_of_any_length_leaves_one_heartbeat_per_node_sent_as_full_batches()
    {
        var latest = new LatestHeartbeats();
        for (var beat = 0; beat < 50; beat++)
        {
            for (var node = 0; node < 2500; node++)
            {
                latest.Set(Beat($"n-{node}", beat / 50.0, beat));
            }
        }

        Assert.Equal([1000, 1000, 500, 0], Enumerable.Range(0, 4).Select(_ => latest.TakeBatch(HeartbeatService.MaxBatch).Count));
    }

    [Fact]
    public void An_unsent_batch_goes_back_in_front_except_where_a_newer_sample_arrived_meanwhile()
    {
        var latest = new LatestHeartbeats();
        latest.Set(Beat("a", 0.1, 1));
        latest.Set(Beat("b", 0.2, 1));
        var batch = latest.TakeBatch(10);
        latest.Set(Beat("c", 0.5, 2));
        latest.Set(Beat("a", 0.3, 2));

        var superseded = latest.ReturnUnsent(batch);

        Assert.Equal(1, superseded);
        Assert.Equal([("s-1/b", 0.2), ("s-1/c", 0.5), ("s-1/a", 0.3)], latest.TakeBatch(10).Select(b => (b.NodeId, b.GpuUtilization)));
    }
}
