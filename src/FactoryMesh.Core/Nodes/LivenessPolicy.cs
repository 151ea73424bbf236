namespace FactoryMesh.Core.Nodes;

/// <summary>
/// When silence turns a node <see cref="Liveness.Suspect"/> and then <see cref="Liveness.NotReady"/>:
/// Suspect once <see cref="MissedHeartbeats"/> intervals pass without a heartbeat, NotReady once the grace
/// period does. Both bounds are exclusive of the last heartbeat and inclusive of the deadline, so the
/// transition happens exactly at the deadline instant.
/// </summary>
/// <param name="HeartbeatInterval">The period agents heartbeat at.</param>
/// <param name="Grace">Silence after which the node is NotReady; longer than the Suspect threshold.</param>
public sealed record LivenessPolicy(TimeSpan HeartbeatInterval, TimeSpan Grace)
{
    /// <summary>Heartbeat intervals a node may miss before it is Suspect.</summary>
    public const int MissedHeartbeats = 3;

    /// <summary>Silence after which a node is Suspect.</summary>
    public TimeSpan SuspectAfter => HeartbeatInterval * MissedHeartbeats;

    /// <summary>The node's liveness at <paramref name="now"/> when it was last heard from at <paramref name="lastSeen"/>.</summary>
    public Liveness Evaluate(DateTimeOffset lastSeen, DateTimeOffset now)
    {
        var silence = now - lastSeen;
        if (silence >= Grace)
        {
            return Liveness.NotReady;
        }

        return silence >= SuspectAfter ? Liveness.Suspect : Liveness.Ready;
    }

    /// <summary>The instant the liveness next changes without a heartbeat, or null when it is already NotReady.</summary>
    public DateTimeOffset? NextTransition(DateTimeOffset lastSeen, DateTimeOffset now) => Evaluate(lastSeen, now) switch
    {
        Liveness.Ready => lastSeen + SuspectAfter,
        Liveness.Suspect => lastSeen + Grace,
        _ => null,
    };

    /// <summary>Throws when the policy cannot work: non-positive interval, or a grace not longer than the Suspect threshold.</summary>
    public void EnsureValid()
    {
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "The heartbeat interval must be positive.");
        }

        if (Grace <= SuspectAfter)
        {
            throw new ArgumentOutOfRangeException(nameof(Grace), Grace, $"The grace period must be longer than {MissedHeartbeats} heartbeat intervals ({SuspectAfter}).");
        }
    }
}
