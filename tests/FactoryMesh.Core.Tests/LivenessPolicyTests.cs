using FactoryMesh.Core.Nodes;

namespace FactoryMesh.Core.Tests;

public sealed class LivenessPolicyTests
{
    private static readonly DateTimeOffset LastSeen = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly LivenessPolicy Policy = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

    [Fact]
    public void Node_is_ready_until_three_intervals_pass_then_suspect_until_the_grace_then_not_ready()
    {
        var tick = TimeSpan.FromTicks(1);
        Assert.Equal(Liveness.Ready, Policy.Evaluate(LastSeen, LastSeen));
        Assert.Equal(Liveness.Ready, Policy.Evaluate(LastSeen, LastSeen + TimeSpan.FromSeconds(15) - tick));
        Assert.Equal(Liveness.Suspect, Policy.Evaluate(LastSeen, LastSeen + TimeSpan.FromSeconds(15)));
        Assert.Equal(Liveness.Suspect, Policy.Evaluate(LastSeen, LastSeen + TimeSpan.FromSeconds(30) - tick));
        Assert.Equal(Liveness.NotReady, Policy.Evaluate(LastSeen, LastSeen + TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Next_transition_is_the_next_deadline()
    {
        Assert.Equal(LastSeen + TimeSpan.FromSeconds(15), Policy.NextTransition(LastSeen, LastSeen + TimeSpan.FromSeconds(1)));
        Assert.Equal(LastSeen + TimeSpan.FromSeconds(30), Policy.NextTransition(LastSeen, LastSeen + TimeSpan.FromSeconds(15)));
        Assert.Null(Policy.NextTransition(LastSeen, LastSeen + TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_grace_not_longer_than_the_suspect_threshold_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LivenessPolicy(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)).EnsureValid());
        Assert.Throws<ArgumentOutOfRangeException>(() => new LivenessPolicy(TimeSpan.Zero, TimeSpan.FromSeconds(15)).EnsureValid());
        Policy.EnsureValid();
    }
}
