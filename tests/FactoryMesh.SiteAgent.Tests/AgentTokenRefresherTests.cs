using System.Text;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The agent keeps its short-lived token alive by refreshing it at half life, into its token file.</summary>
public sealed class AgentTokenRefresherTests : IDisposable
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("agent-token-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The shape of a JWT: only iat and exp matter to the agent, which never verifies its own token.
    private static string Jwt(DateTimeOffset issuedAt, TimeSpan lifetime) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"HS256"}""")}.{Base64UrlEncoder.Encode($$"""{"iat":{{issuedAt.ToUnixTimeSeconds()}},"exp":{{(issuedAt + lifetime).ToUnixTimeSeconds()}}}""")}.c2ln";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_token_past_half_its_life_is_refreshed_into_the_token_file_and_a_younger_one_is_left_alone()
    {
        var path = Path.Combine(_folder, "agent.token");
        await File.WriteAllTextAsync(path, Jwt(IssuedAt, TimeSpan.FromHours(1)), Encoding.UTF8);
        var time = new FakeTimeProvider(IssuedAt + TimeSpan.FromMinutes(20));
        var controlPlane = new FakeControlPlane { RefreshedToken = Jwt(IssuedAt + TimeSpan.FromMinutes(31), TimeSpan.FromHours(1)) };
        var tokens = new AgentTokenSource(Options.Create(new AgentOptions { TokenFile = path }));
        var refresher = new AgentTokenRefresher(tokens, controlPlane, time, NullLogger<AgentTokenRefresher>.Instance);

        Assert.False(await refresher.RefreshIfDueAsync(CancellationToken.None));
        Assert.Equal(0, controlPlane.Refreshes);

        time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(await refresher.RefreshIfDueAsync(CancellationToken.None));

        Assert.Equal(controlPlane.RefreshedToken, tokens.Current());
        Assert.Equal(controlPlane.RefreshedToken, (await File.ReadAllTextAsync(path)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(await refresher.RefreshIfDueAsync(CancellationToken.None)); // the new token is young again
    }

    [Fact]
    public async Task A_control_plane_that_is_away_leaves_the_token_as_it_is_for_the_next_try()
    {
        var original = Jwt(IssuedAt, TimeSpan.FromHours(1));
        var time = new FakeTimeProvider(IssuedAt + TimeSpan.FromMinutes(45));
        var controlPlane = new FakeControlPlane { Reachable = false };
        var tokens = new AgentTokenSource(Options.Create(new AgentOptions { Token = original }));
        var refresher = new AgentTokenRefresher(tokens, controlPlane, time, NullLogger<AgentTokenRefresher>.Instance);

        Assert.False(await refresher.RefreshIfDueAsync(CancellationToken.None));
        Assert.Equal(original, tokens.Current());

        controlPlane.Reachable = true;
        Assert.True(await refresher.RefreshIfDueAsync(CancellationToken.None));
        Assert.Equal(controlPlane.RefreshedToken, tokens.Current()); // kept in memory: the token was given on the command line
    }
}
