using System.Threading.Channels;
using FactoryMesh.Grains.Abstractions.Live;

namespace FactoryMesh.Grains.Tests;

[Collection(FleetClusterCollection.Name)]
public sealed class LiveFanOutTests(FleetClusterFixture fixture)
{
    private SqliteFleetCluster Fleet => fixture.Fleet;

    [Fact]
    public async Task An_event_published_while_a_batch_is_being_sent_follows_it_without_waiting_for_another_publication()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var bridge = new SlowBridge(TimeSpan.FromMilliseconds(600));
        var reference = Fleet.Cluster.Client.CreateObjectReference<IFleetObserver>(bridge);
        try
        {
            await Fleet.Grains.GetGrain<IFleetHubRegistryGrain>(IFleetHubRegistryGrain.Key).RegisterAsync($"test-bridge-{run}", reference);
            var publisher = Fleet.Grains.GetGrain<IFleetPublisherGrain>(0);

            // The first summary goes out after the batch window and the bridge takes 600 ms to acknowledge it; the
            // second, the site's latest state, is published while that send is under way, and nothing after it.
            await publisher.PublishAsync(Summary($"pub-{run}", ready: 1));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await publisher.PublishAsync(Summary($"pub-{run}", ready: 2));

            var seen = new List<int>();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!seen.Contains(2))
            {
                try
                {
                    var summary = await bridge.Received.ReadAsync(patience.Token);
                    if (summary.SiteId == $"pub-{run}")
                    {
                        seen.Add(summary.Ready);
                    }
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"The latest summary never reached the bridge; it saw ready {string.Join(", ", seen)}.");
                }
            }

            Assert.Equal([1, 2], seen);
        }
        finally
        {
            Fleet.Cluster.Client.DeleteObjectReference<IFleetObserver>(reference);
        }
    }

    [Fact]
    public async Task A_bridge_stays_registered_when_the_grains_clock_jumps_past_its_lifetime()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var reference = Fleet.Cluster.Client.CreateObjectReference<IFleetObserver>(new SlowBridge(TimeSpan.Zero));
        try
        {
            var registry = Fleet.Grains.GetGrain<IFleetHubRegistryGrain>(IFleetHubRegistryGrain.Key);
            await registry.RegisterAsync($"test-bridge-{run}", reference);

            // Renewals run on wall-clock time; a step of the grains' clock (simulated here) must not age them out.
            Fleet.Clock.Advance(IFleetHubRegistryGrain.Lifetime * 2);
            Assert.Contains(reference, await registry.GetBridgesAsync());
        }
        finally
        {
            Fleet.Cluster.Client.DeleteObjectReference<IFleetObserver>(reference);
        }
    }

    private static SiteSummaryEvent Summary(string siteId, int ready) => new(siteId, 2, ready, 0, 0, 0, 0, 0, 0, DateTimeOffset.UtcNow);

    // A bridge that takes its time to acknowledge each batch, as one on a busy silo does.
    private sealed class SlowBridge(TimeSpan acknowledgeAfter) : IFleetObserver
    {
        private readonly Channel<SiteSummaryEvent> _received = Channel.CreateUnbounded<SiteSummaryEvent>();

        public ChannelReader<SiteSummaryEvent> Received => _received.Reader;

        public async Task OnEventsAsync(IReadOnlyList<FleetEvent> events)
        {
            foreach (var summary in events.OfType<SiteSummaryEvent>())
            {
                _received.Writer.TryWrite(summary);
            }

            await Task.Delay(acknowledgeAfter);
        }
    }
}
