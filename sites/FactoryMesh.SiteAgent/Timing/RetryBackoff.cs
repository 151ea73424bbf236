namespace FactoryMesh.SiteAgent.Timing;

/// <summary>
/// Exponential backoff with jitter for the agent's own loops (registration, attestation): the minimum after the
/// first failure, doubling per further failure up to the maximum, each wait stretched or shrunk at random by up to the
/// jitter fraction so that many nodes failing together do not retry together.
/// </summary>
internal static class RetryBackoff
{
    /// <summary>The wait after <paramref name="failures"/> consecutive failures; <paramref name="unitRandom"/> is uniform in [0, 1).</summary>
    public static TimeSpan Delay(int failures, TimeSpan minimum, TimeSpan maximum, double jitter, double unitRandom)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var nominal = Math.Min(maximum.TotalSeconds, minimum.TotalSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds(Math.Max(minimum.TotalSeconds, nominal * Jittered(jitter, unitRandom)));
    }

    /// <summary>A factor in [1 − jitter, 1 + jitter] from <paramref name="unitRandom"/> in [0, 1).</summary>
    public static double Jittered(double jitter, double unitRandom) => 1 + (jitter * ((2 * unitRandom) - 1));
}
