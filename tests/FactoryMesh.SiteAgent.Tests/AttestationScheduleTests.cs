using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.Timing;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>When nodes attest again.</summary>
public sealed class AttestationScheduleTests
{
    private static AttestationSchedule Schedule(double jitter = 0.1) =>
        new(Options.Create(new AttestationTimingOptions { Jitter = jitter, MinimumDelaySeconds = 1, MaximumRetrySeconds = 30 }));

    [Theory]
    [InlineData(0.0, 270)]
    [InlineData(0.5, 300)]
    [InlineData(0.999999, 330)]
    public void After_an_accepted_appraisal_a_node_attests_at_half_its_freshness_within_the_jitter(double random, double seconds) =>
        Assert.Equal(seconds, Schedule().AfterSuccess(TimeSpan.FromSeconds(600), random).TotalSeconds, precision: 3);

    [Fact]
    public void A_short_freshness_still_leaves_most_of_the_rest_for_retries_and_never_spins()
    {
        var schedule = Schedule();

        Assert.InRange(schedule.AfterSuccess(TimeSpan.FromSeconds(6), 0.999999), TimeSpan.FromSeconds(2.7), TimeSpan.FromSeconds(3.3));
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.AfterSuccess(TimeSpan.FromMilliseconds(400), 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.AfterSuccess(null, 0.5));
    }

    [Fact]
    public void Failures_back_off_exponentially_up_to_the_cap()
    {
        var schedule = Schedule(jitter: 0);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(f => schedule.AfterFailure(f, 0.5).TotalSeconds));
    }

    [Fact]
    public void Jitter_spreads_waits_both_ways_but_never_below_the_minimum()
    {
        Assert.Equal(0.9, RetryBackoff.Jittered(0.1, 0), precision: 9);
        Assert.Equal(1.1, RetryBackoff.Jittered(0.1, 1), precision: 9);
        Assert.Equal(TimeSpan.FromSeconds(1), RetryBackoff.Delay(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, 0));
        Assert.InRange(Schedule().FirstAttempt(0.999), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
