namespace FactoryMesh.Cli.Tests;

/// <summary><c>--server</c>, <c>--token</c>, <c>--output</c>, where the token comes from, and usage errors.</summary>
[Collection(FleetServerCollection.Name)]
public sealed class GlobalOptionsTests(FleetServerFixture fleet)
{
    [Fact]
    public async Task The_environment_token_wins_over_the_data_folder_and_the_option_wins_over_both()
    {
        var environment = new Dictionary<string, string>(fleet.OperatorEnvironment) { ["FACTORYMESH_TOKEN"] = "not-a-token" };

        var fromEnvironment = await FmctlProcess.RunAsync(environment, "--server", fleet.Address, "sites", "list");
        var fromOption = await FmctlProcess.RunAsync(environment, "--server", fleet.Address, "--token", fleet.Server.OperatorToken, "sites", "list");

        Assert.StartsWith("fmctl: 401 Unauthorized: the server did not accept the token", fromEnvironment.AssertFailedWithOneLine(1), StringComparison.Ordinal);
        fromOption.AssertSucceeded();
    }

    [Fact]
    public async Task Global_options_work_after_the_verb_too()
    {
        var result = await FmctlProcess.RunAsync(fleet.OperatorEnvironment, "sites", "list", "--output", "json", "--server", fleet.Address);

        Assert.StartsWith("[", result.AssertSucceeded().StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fmctl: --server: 'localhost:5080' is not an http:// or https:// URL. (see: fmctl sites list --help)", "--server", "localhost:5080", "sites", "list")]
    [InlineData("fmctl: --output: 'yaml' is not a format; use table or json. (see: fmctl sites list --help)", "--output", "yaml", "sites", "list")]
    [InlineData("fmctl: Required command was not provided. (see: fmctl sites --help)", "sites")]
    [InlineData("fmctl: Unrecognized command or argument 'planets'. (see: fmctl --help)", "planets")]
    public async Task A_command_line_that_does_not_parse_is_one_line_and_exit_code_2(string expected, params string[] arguments)
    {
        var result = await FmctlProcess.RunAsync(fleet.OperatorEnvironment, arguments);

        Assert.Equal(expected, result.AssertFailedWithOneLine(2));
    }

    [Fact]
    public async Task Help_lists_every_noun_and_exits_0()
    {
        var result = (await FmctlProcess.RunAsync(fleet.OperatorEnvironment, "--help")).AssertSucceeded();

        Assert.All(["sites", "nodes", "tenants", "tokens", "audit", "certificates", "watch"],
            noun => Assert.Contains($"  {noun} ", result.StandardOutput, StringComparison.Ordinal));
    }
}
