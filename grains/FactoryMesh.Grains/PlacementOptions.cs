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

    /// <summary>
    /// How often each placed model looks for better nodes (<c>RebalanceIntervalSeconds</c>). Default 60 s.
    /// </summary>
    public TimeSpan RebalanceInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The least relative improvement of a replica's weighted cost/energy/carbon per token that justifies moving it
    /// (<c>MigrationCost</c>): 0.1 moves a replica only to a node at least 10 % better. Default 0.1.
    /// </summary>
    public double MigrationCost { get; set; } = 0.1;

    /// <summary>The most replicas of one model moved per minute by rebalancing (<c>MaxMovesPerMinute</c>). Default 1.</summary>
    public int MaxMovesPerMinute { get; set; } = 1;

    /// <summary>Solve-and-reserve rounds before a placement settles for what it got (<c>ReservationAttempts</c>). Default 4.</summary>
    public int ReservationAttempts { get; set; } = 4;

    /// <summary><see cref="Grace"/> in seconds (<c>FactoryMesh:Placement:GraceSeconds</c>).</summary>
    public double GraceSeconds { get => Grace.TotalSeconds; set => Grace = TimeSpan.FromSeconds(value); }

    /// <summary><see cref="MinRemainingFreshness"/> in seconds (<c>FactoryMesh:Placement:MinRemainingFreshnessSeconds</c>).</summary>
    public double MinRemainingFreshnessSeconds { get => MinRemainingFreshness.TotalSeconds; set => MinRemainingFreshness = TimeSpan.FromSeconds(value); }

    /// <summary><see cref="RebalanceInterval"/> in seconds (<c>FactoryMesh:Placement:RebalanceIntervalSeconds</c>).</summary>
    public double RebalanceIntervalSeconds { get => RebalanceInterval.TotalSeconds; set => RebalanceInterval = TimeSpan.FromSeconds(value); }
}
