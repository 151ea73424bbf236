using FactoryMesh.ServerHost;

namespace FactoryMesh.Cli.Tests;

/// <summary>
/// What every verb that calls the server shares: the failure lines for a server that is not there and for a missing
/// token. No server is needed, so these run beside the server collection rather than after it.
/// </summary>
public sealed class EveryCommandTests
{
    [Theory]
    [MemberData(nameof(EveryCommand.CallingTheServer), MemberType = typeof(EveryCommand))]
    public async Task Every_command_names_an_unreachable_server_in_one_line(string[] command)
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";

        var result = await FmctlProcess.RunAsync(new Dictionary<string, string>(), ["--server", address, "--token", "any", .. command]);

        Assert.Equal($"fmctl: cannot reach {address}: Connection refused", result.AssertFailedWithOneLine(3));
    }

    [Theory]
    [MemberData(nameof(EveryCommand.CallingTheServer), MemberType = typeof(EveryCommand))]
    public async Task Every_command_without_a_token_anywhere_says_where_it_looked(string[] command)
    {
        var emptyData = Directory.CreateTempSubdirectory("fmctl-no-token-").FullName;
        try
        {
            var result = await FmctlProcess.RunAsync(
                new Dictionary<string, string> { ["FactoryMesh__DataDirectory"] = emptyData }, ["--server", $"http://127.0.0.1:{FreePort.Next()}", .. command]);

            Assert.Equal(
                $"fmctl: no token: pass --token, set FACTORYMESH_TOKEN, or run where the server's data folder is (no token in {Path.Combine(emptyData, "operator.token")})",
                result.AssertFailedWithOneLine(2));
        }
        finally
        {
            Directory.Delete(emptyData);
        }
    }
}
