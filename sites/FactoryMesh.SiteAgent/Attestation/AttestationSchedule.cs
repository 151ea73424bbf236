using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.Timing;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>
/// When a node attests next. After an accepted appraisal: once <see cref="AttestationTimingOptions.RefreshFraction"/>
/// of the granted freshness has passed (half, by default), measured from when the attempt began (so the round trip
/// counts against it) and jittered, which leaves the rest of the freshness for retries before the node would go Stale.
/// After a failure: exponential backoff. At start: a random stagger, so a large site does not attest all at once.
/// </summary>
internal sealed class AttestationSchedule(IOptions<AttestationTimingOptions> options)
{
    private AttestationTimingOptions Settings => options.Value;

    private TimeSpan Minimum => TimeSpan.FromSeconds(Settings.MinimumDelaySeconds);

    private TimeSpan Maximum => TimeSpan.FromSeconds(Settings.MaximumRetrySeconds);

    /// <summary>The wait after an accepted appraisal that granted <paramref name="freshness"/>; <paramref name="unitRandom"/> uniform in [0, 1).</summary>
    public TimeSpan AfterSuccess(TimeSpan? freshness, double unitRandom)
    {
        if (freshness is not { } granted || granted <= TimeSpan.Zero)
        {
            return Maximum; // trusted without a stated end: look again later rather than spin
        }

        var wait = granted * Settings.RefreshFraction * RetryBackoff.Jittered(Settings.Jitter, unitRandom);
        return wait < Minimum ? Minimum : wait;
    }

    /// <summary>The wait after <paramref name="failures"/> consecutive failed attempts.</summary>
    public TimeSpan AfterFailure(int failures, double unitRandom) =>
        RetryBackoff.Delay(failures, Minimum, Maximum, Settings.Jitter, unitRandom);

    /// <summary>The stagger before a node's first attempt.</summary>
    public TimeSpan FirstAttempt(double unitRandom) => Minimum * unitRandom;
}
