using System.Threading.Channels;
using FactoryMesh.Grains.Abstractions.Live;
using FactoryMesh.Grains.Live;

namespace FactoryMesh.Grains.Tests;

/// <summary>
/// The publisher and registry on a cluster of their own: on the shared one, other tests' grains publish too, and any
/// later publication would carry a stranded event along and hide the bug the first test is about.
/// </summary>
[Collection(FleetClusterCollection.Name)]
public sealed class LiveFanOutTests : IAsyncLifetime
{
    private SqliteFleetCluster? _fleet;

    private SqliteFleetCluster Fleet => _fleet!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _fleet = await SqliteFleetCluster.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_event_published_while_a_batch_is_being_sent_follows_it_without_waiting_for_another_publication()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var site = $"pub-{run}";
        var bridge = new SlowBridge(summary => summary.SiteId == site && summary.Ready == 1, TimeSpan.FromMilliseconds(600));
        var reference = Fleet.Cluster.Client.CreateObjectReference<IFleetObserver>(bridge);
        try
        {
            await Fleet.Grains.GetGrain<IFleetHubRegistryGrain>(IFleetHubRegistryGrain.Key).RegisterAsync($"test-bridge-{run}", reference);
            var publisher = Fleet.Grains.GetGrain<IFleetPublisherGrain>(0);
            await WaitUntilPublisherKnowsAsync(publisher, bridge, $"probe-{run}");

            // The first summary goes out after the batch window and the bridge takes 600 ms to acknowledge it; the
            // second, the site's latest state, is published while that send is under way, and nothing after it.
            await publisher.PublishAsync(Summary(site, ready: 1));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await publisher.PublishAsync(Summary(site, ready: 2));

            var seen = new List<int>();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!seen.Contains(2))
            {
                try
                {
                    var summary = await bridge.Received.ReadAsync(patience.Token);
                    if (summary.SiteId == site)
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
        var reference = Fleet.Cluster.Client.CreateObjectReference<IFleetObserver>(new SlowBridge(_ => false, TimeSpan.Zero));
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

    // The publisher re-reads the registry every few seconds: probes go out until one reaches the new bridge, and the
    // acknowledgement of the last has returned.
    private static async Task WaitUntilPublisherKnowsAsync(IFleetPublisherGrain publisher, SlowBridge bridge, string probeSite)
    {
        using var patience = new CancellationTokenSource(FleetPublisherGrain.BridgeRefresh * 3);
        while (true)
        {
            await publisher.PublishAsync(Summary(probeSite, ready: 0));
            try
            {
                using var pause = CancellationTokenSource.CreateLinkedTokenSource(patience.Token);
                pause.CancelAfter(TimeSpan.FromMilliseconds(250));
                while ((await bridge.Received.ReadAsync(pause.Token)).SiteId != probeSite)
                {
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250));
                return;
            }
            catch (OperationCanceledException) when (!patience.IsCancellationRequested)
            {
                // not yet: probe again
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The publisher sent nothing to the new bridge within {FleetPublisherGrain.BridgeRefresh * 3}.");
            }
        }
    }

    private static SiteSummaryEvent Summary(string siteId, int ready) => new(siteId, 2, ready, 0, 0, 0, 0, 0, 0, DateTimeOffset.UtcNow);

    // A bridge that takes its time to acknowledge the batches holding a summary picked out, as one on a busy silo does.
    private sealed class SlowBridge(Func<SiteSummaryEvent, bool> slowFor, TimeSpan acknowledgeAfter) : IFleetObserver
    {
        private readonly Channel<SiteSummaryEvent> _received = Channel.CreateUnbounded<SiteSummaryEvent>();

        public ChannelReader<SiteSummaryEvent> Received => _received.Reader;

        public async Task OnEventsAsync(IReadOnlyList<FleetEvent> events)
        {
            var slow = false;
            foreach (var summary in events.OfType<SiteSummaryEvent>())
            {
                _received.Writer.TryWrite(summary);
                slow |= slowFor(summary);
            }

            if (slow)
            {
                await Task.Delay(acknowledgeAfter);
            }
        }
    }
}
