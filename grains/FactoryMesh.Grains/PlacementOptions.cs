namespace FactoryMesh.Grains;

/// <summary>Placement and self-healing rules, section <c>FactoryMesh:Placement</c>.</summary>
public sealed class PlacementOptions
{
    /// <summary>
    /// How long a replica may stay on a Stale node before it is moved (<c>GraceSeconds</c>). Default 30 s.
    /// An Untrusted or NotReady node loses its replicas at once.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node's trust must still last for it to receive a new replica (<c>MinRemainingFreshnessSeconds</c>). Default 60 s.</summary>
    public TimeSpan MinRemainingFreshness { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Solve-and-reserve rounds before a placement settles for what it got (<c>ReservationAttempts</c>). Default 4.</summary>
    public int ReservationAttempts { get; set; } = 4;
}
