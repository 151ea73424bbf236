using System.Text.Json;

namespace FactoryMesh.Cli.Tests;

/// <summary><c>fmctl sites list | get | put</c>.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class SitesCommandTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task Put_creates_a_site_that_get_returns_as_the_apis_json()
    {
        var siteId = FleetServerFixture.UniqueName("site");

        (await fleet.RunAsync("sites", "put", siteId, "--jurisdiction", "DE", "--zone", "EU", "--zone", "DACH",
            "--electricity-usd-per-kwh", "0.21", "--pue", "1.2", "--carbon-grams-per-kwh", "380")).AssertSucceeded();
        var get = (await fleet.RunAsync("sites", "get", siteId, "--output", "json")).AssertSucceeded();

        var site = JsonDocument.Parse(get.StandardOutput).RootElement;
        Assert.Equal(siteId, site.GetProperty("siteId").GetString());
        Assert.Equal("DE", site.GetProperty("profile").GetProperty("jurisdiction").GetString());
        Assert.Equal(["EU", "DACH"], site.GetProperty("profile").GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(1.2, site.GetProperty("profile").GetProperty("pue").GetDouble());
    }

    [Fact]
    public async Task List_shows_every_site_as_a_table_row_with_its_node_count()
    {
        var siteId = FleetServerFixture.UniqueName("site");
        await fleet.CreateSiteWithNodesAsync(siteId, nodes: 2);

        var list = (await fleet.RunAsync("sites", "list")).AssertSucceeded();

        var row = Assert.Single(list.StandardOutput.Split('\n'), line => line.StartsWith(siteId, StringComparison.Ordinal));
        Assert.Equal([siteId, "DE", "EU", "2"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4));
        Assert.Contains("JURISDICTION", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_of_an_unknown_site_says_404_in_one_line()
    {
        var result = await fleet.RunAsync("sites", "get", "no-such-site");

        Assert.Equal("fmctl: 404 Not found: Site 'no-such-site' does not exist.", result.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Put_with_a_value_the_server_refuses_names_the_field()
    {
        var result = await fleet.RunAsync("sites", "put", FleetServerFixture.UniqueName("site"), "--jurisdiction", "DE",
            "--electricity-usd-per-kwh", "0.21", "--pue", "0.5", "--carbon-grams-per-kwh", "380");

        Assert.Equal("fmctl: 400 The request is not valid: pue: Must be between 1.0 and 5.0.", result.AssertFailedWithOneLine(1));
    }

    [Fact]
    public async Task Put_without_required_options_is_a_usage_error_naming_them_before_any_call()
    {
        var result = await fleet.RunAsync("sites", "put", "eu-nowhere-1", "--jurisdiction", "DE");

        var line = result.AssertFailedWithOneLine(2);
        Assert.Contains("'--pue' is required", line, StringComparison.Ordinal);
        Assert.Contains("'--carbon-grams-per-kwh' is required", line, StringComparison.Ordinal);
        Assert.EndsWith("(see: fmctl sites put --help)", line, StringComparison.Ordinal);
    }
}
