using FactoryMesh.SiteAgent.Faults;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The fault file: the agent's control surface for injected faults.</summary>
public sealed class FaultFileParserTests
{
    [Fact]
    public void Faults_apply_per_node_and_to_every_node_through_the_star()
    {
        var faults = FaultFileParser.Parse("""{"*": ["stop-attesting"], "node-002": ["stop-heartbeats", "debug-on"], "node-003": ["fail-attestation", "cc-mode-off"]}""");

        Assert.Equal(NodeFault.StopAttesting, faults.For("node-001"));
        Assert.Equal(NodeFault.StopAttesting | NodeFault.StopHeartbeats | NodeFault.DebugOn, faults.For("node-002"));
        Assert.True(faults.Has("node-003", NodeFault.FailAttestation));
        Assert.True(faults.Has("node-003", NodeFault.CcModeOff));
        Assert.False(faults.Has("node-001", NodeFault.DebugOn));
        Assert.Equal("*: stop-attesting; node-002: stop-heartbeats, debug-on; node-003: fail-attestation, cc-mode-off", faults.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("{}")]
    [InlineData("{\"node-001\": []}")]
    public void An_empty_file_or_object_means_no_faults(string text)
    {
        var faults = FaultFileParser.Parse(text);

        Assert.True(faults.IsEmpty);
        Assert.Equal(NodeFault.None, faults.For("node-001"));
        Assert.Equal("none", faults.ToString());
    }

    [Theory]
    [InlineData("{\"*\": [\"explode\"]}", "explode")]
    [InlineData("{\"*\": \"stop-attesting\"}", "must be a list")]
    [InlineData("[\"stop-attesting\"]", "JSON object")]
    [InlineData("{\"*\": [", "not JSON")]
    public void A_file_that_does_not_parse_is_refused_with_a_reason(string text, string reason)
    {
        var refusal = Assert.Throws<FormatException>(() => FaultFileParser.Parse(text));

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }
}
