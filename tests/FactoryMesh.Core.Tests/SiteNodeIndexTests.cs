using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.Tests;

/// <summary>The site index's running counts and sums always equal a recount from scratch.</summary>
public sealed class SiteNodeIndexTests
{
    private static readonly NodeInventory H100 = new("H100", 8, 80, "TDX", 10_200, 24);

    [Fact]
    public void Counts_and_sums_after_many_random_changes_equal_a_recount()
    {
        var random = new Random(7);
        var index = new SiteNodeIndex();
        var facts = new Dictionary<string, NodePlacementFacts>();
        var samples = new Dictionary<string, UtilizationSample>();
        var states = Enum.GetValues<TrustState>();
        var livenesses = Enum.GetValues<Liveness>();
        for (var step = 0; step < 20_000; step++)
        {
            var nodeId = $"s/n{random.Next(300)}";
            if (random.Next(3) == 0)
            {
                var sample = new UtilizationSample(random.NextDouble(), 10, random.Next(10_000), random.Next(5_000), DateTimeOffset.UnixEpoch);
                Assert.Equal(facts.ContainsKey(nodeId), index.Report(nodeId, sample));
                if (facts.ContainsKey(nodeId))
                {
                    samples[nodeId] = sample;
                }

                continue;
            }

            var next = new NodePlacementFacts(nodeId, H100, 640, new TrustStatus(states[random.Next(states.Length)], null, null, "test"), livenesses[random.Next(livenesses.Length)], 1);
            Assert.Equal(!facts.TryGetValue(nodeId, out var known) || known != next, index.Upsert(next));
            facts[nodeId] = next;
        }

        Assert.Equal(facts.Count, index.Count);
        Assert.Equal(facts.Values.Count(f => f.Liveness == Liveness.Ready), index.Ready);
        Assert.Equal(facts.Values.Count(f => f.Trust.State == TrustState.Trusted), index.Trusted);
        Assert.Equal(facts.Values.Count(f => f.Trust.State == TrustState.Stale), index.Stale);
        Assert.Equal(facts.Values.Count(f => f.Trust.State == TrustState.Untrusted), index.Untrusted);
        Assert.Equal(samples.Values.Average(s => s.GpuUtilization), index.MeanGpuUtilization, 9);
        Assert.Equal(samples.Values.Sum(s => s.PowerWatts), index.PowerWatts, 6);
        Assert.Equal(samples.Values.Sum(s => s.TokensPerSecond), index.TokensPerSecond, 6);
    }

    [Fact]
    public void A_sample_for_a_node_the_index_does_not_hold_is_ignored()
    {
        var index = new SiteNodeIndex();

        Assert.False(index.Report("s/ghost", new UtilizationSample(1, 1, 1, 1, DateTimeOffset.UnixEpoch)));
        Assert.Equal((0, 0.0, 0.0), (index.Count, index.MeanGpuUtilization, index.PowerWatts));
    }
}
