using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Heartbeats;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The bounded heartbeat buffer and how it cuts batches.</summary>
public sealed class HeartbeatBufferTests
{
    private static HeartbeatReport Beat(string node, double utilization) => new($"s-1/{node}", 1, utilization, 0, 0, 0);

    [Fact]
    public void Past_its_capacity_the_buffer_drops_the_oldest_and_says_how_many()
    {
        var buffer = new HeartbeatBuffer(3);

        var dropped = Enumerable.Range(1, 5).Sum(i => buffer.Add(Beat($"n-{i}", i / 10.0)));

        Assert.Equal(2, dropped);
        Assert.Equal(3, buffer.Count);
        Assert.Equal(["s-1/n-3", "s-1/n-4", "s-1/n-5"], buffer.TakeBatch(10).Select(b => b.NodeId));
    }

    [Fact]
    public void A_batch_holds_each_node_once_oldest_first_and_leaves_later_beats_in_order()
    {
        var buffer = new HeartbeatBuffer(100);
        foreach (var (node, u) in new[] { ("a", 0.1), ("b", 0.2), ("a", 0.3), ("c", 0.4), ("a", 0.5), ("b", 0.6) })
        {
            buffer.Add(Beat(node, u));
        }

        var first = buffer.TakeBatch(1000);
        var second = buffer.TakeBatch(1000);
        var third = buffer.TakeBatch(1000);

        Assert.Equal([0.1, 0.2, 0.4], first.Select(b => b.GpuUtilization));
        Assert.Equal([0.3, 0.6], second.Select(b => b.GpuUtilization));
        Assert.Equal([0.5], third.Select(b => b.GpuUtilization));
        Assert.Empty(buffer.TakeBatch(1000));
    }

    [Fact]
    public void A_batch_holds_at_most_the_maximum()
    {
        var buffer = new HeartbeatBuffer(5000);
        for (var i = 0; i < 2500; i++)
        {
            buffer.Add(Beat($"n-{i}", 0.5));
        }

        Assert.Equal([1000, 1000, 500, 0], Enumerable.Range(0, 4).Select(_ => buffer.TakeBatch(HeartbeatService.MaxBatch).Count));
    }

    [Fact]
    public void An_unsent_batch_goes_back_in_front_and_what_no_longer_fits_is_dropped_oldest_first()
    {
        var buffer = new HeartbeatBuffer(4);
        buffer.Add(Beat("a", 0.1));
        buffer.Add(Beat("b", 0.2));
        var batch = buffer.TakeBatch(10);
        buffer.Add(Beat("a", 0.3));
        buffer.Add(Beat("b", 0.4));
        buffer.Add(Beat("c", 0.5));

        var dropped = buffer.ReturnToFront(batch);

        Assert.Equal(1, dropped);
        Assert.Equal([0.2, 0.3, 0.4, 0.5], buffer.TakeBatch(10).Concat(buffer.TakeBatch(10)).Select(b => b.GpuUtilization).Order());
    }
}
