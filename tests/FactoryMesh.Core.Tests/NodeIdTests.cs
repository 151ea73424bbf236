using FactoryMesh.Contracts.Identity;

namespace FactoryMesh.Core.Tests;

public sealed class NodeIdTests
{
    [Fact]
    public void Parses_site_and_name()
    {
        var id = NodeId.Parse("eu-fra-1/node-007");
        Assert.Equal("eu-fra-1", id.SiteId);
        Assert.Equal("node-007", id.Name);
        Assert.Equal("eu-fra-1/node-007", id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("eu-fra-1")]
    [InlineData("/node-1")]
    [InlineData("eu-fra-1/")]
    [InlineData("eu-fra-1/node/1")]
    [InlineData("EU-FRA-1/node-1")]
    [InlineData("eu-fra-1/-node")]
    [InlineData("eu fra/node-1")]
    [InlineData("eu-fra-1/node_1")]
    public void Refuses_malformed_ids(string value)
    {
        Assert.False(NodeId.TryParse(value, out _));
        Assert.Throws<FormatException>(() => NodeId.Parse(value));
    }

    [Fact]
    public void Names_longer_than_a_dns_label_are_refused()
    {
        Assert.True(ResourceName.IsValid(new string('a', 63)));
        Assert.False(ResourceName.IsValid(new string('a', 64)));
    }
}
