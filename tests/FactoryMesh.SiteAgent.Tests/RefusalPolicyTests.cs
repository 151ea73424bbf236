using FactoryMesh.SiteAgent.Heartbeats;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>What a refused heartbeat makes the agent do.</summary>
public sealed class RefusalPolicyTests
{
    [Theory]
    [InlineData("unknown node", 3, 3, false, "Reregister")]
    [InlineData("unknown node", 2, 3, false, "Reregister")]
    [InlineData("stale epoch", 3, 3, false, "Reregister")]
    [InlineData("future epoch", 3, 3, false, "Reregister")]
    [InlineData("stale epoch", 2, 3, false, "Ignore")] // buffered before our own re-registration
    [InlineData("unknown node", 3, 3, true, "Ignore")] // a registration is already on its way
    [InlineData("stale epoch", 3, 3, true, "Ignore")]
    [InlineData("memory exceeds inventory", 3, 3, false, "Report")]
    [InlineData(null, 3, 3, false, "Report")]
    public void Refusals_lead_to_registration_only_when_registering_again_can_cure_them(string? reason, long sent, long current, bool pending, string expected) =>
        Assert.Equal(Enum.Parse<RefusalAction>(expected), RefusalPolicy.Decide(reason, sent, current, pending));
}
