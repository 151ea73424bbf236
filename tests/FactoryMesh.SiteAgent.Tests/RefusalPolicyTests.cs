using FactoryMesh.SiteAgent.Heartbeats;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>What a refused heartbeat makes the agent do, by its machine-readable code.</summary>
public sealed class RefusalPolicyTests
{
    [Theory]
    [InlineData("unknown-node", 3, 3, false, "Reregister")]
    [InlineData("unknown-node", 2, 3, false, "Reregister")]
    [InlineData("stale-epoch", 3, 3, false, "Reregister")]
    [InlineData("future-epoch", 3, 3, false, "Reregister")]
    [InlineData("stale-epoch", 2, 3, false, "Ignore")] // buffered before our own re-registration
    [InlineData("unknown-node", 3, 3, true, "Ignore")] // a registration is already on its way
    [InlineData("stale-epoch", 3, 3, true, "Ignore")]
    [InlineData("memory-exceeds-inventory", 3, 3, false, "Report")]
    [InlineData(null, 3, 3, false, "Report")]
    [InlineData("unknown node", 3, 3, false, "Report")] // prose is for people: only the code is acted on
    public void Refusals_lead_to_registration_only_when_registering_again_can_cure_them(string? code, long sent, long current, bool pending, string expected) =>
        Assert.Equal(Enum.Parse<RefusalAction>(expected), RefusalPolicy.Decide(code, sent, current, pending));
}
