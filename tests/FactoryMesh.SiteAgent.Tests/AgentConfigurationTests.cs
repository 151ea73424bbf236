using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>The agent's settings as its command line gives them, and the ones it refuses to start with.</summary>
public sealed class AgentConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fm-agent-config-").FullName;

    private static string SiteFile => Path.Combine(AppContext.BaseDirectory, "sites", "eu-par-1.json");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static T Resolve<T>(params string[] args)
        where T : class
    {
        using var host = SiteAgentHost.CreateBuilder(args).Build();
        return host.Services.GetRequiredService<IOptions<T>>().Value;
    }

    [Fact]
    public void Short_switches_set_the_server_token_file_site_data_folder_simulation_and_interval()
    {
        var tokenFile = Path.Combine(_folder, "agent.token");
        File.WriteAllText(tokenFile, "t");
        string[] args = ["--server", "https://cp.example:8443", "--token-file", tokenFile, "--site", SiteFile, "--data", _folder, "--simulate", "12", "--interval", "2.5", "--vendor-dir", "/v"];

        var agent = Resolve<AgentOptions>(args);
        var heartbeat = Resolve<HeartbeatOptions>(args);

        Assert.Equal("https://cp.example:8443", agent.ServerUrl);
        Assert.Equal(tokenFile, agent.TokenFile);
        Assert.Equal(SiteFile, agent.SiteFile);
        Assert.Equal(12, agent.Simulate);
        Assert.True(agent.IsSimulated);
        Assert.Equal("/v", agent.VendorDirectoryFullPath);
        Assert.Equal(Path.Combine(_folder, "faults.json"), agent.FaultFileFullPath);
        Assert.Equal(TimeSpan.FromSeconds(2.5), heartbeat.Interval);
    }

    [Fact]
    public void Defaults_are_the_local_server_five_second_heartbeats_and_half_of_the_freshness()
    {
        string[] minimal = ["--token", "t", "--site", SiteFile, "--simulate", "1"];

        var agent = Resolve<AgentOptions>(minimal);
        var heartbeat = Resolve<HeartbeatOptions>(minimal);
        var attestation = Resolve<AttestationTimingOptions>(minimal);

        Assert.Equal("http://localhost:5080", agent.ServerUrl);
        Assert.Equal(Path.GetFullPath("./agent-data"), agent.DataDirectoryFullPath);
        Assert.Equal(agent.DataDirectoryFullPath, agent.VendorDirectoryFullPath);
        Assert.Equal(TimeSpan.FromSeconds(5), heartbeat.Interval);
        Assert.Equal((0.5, 0.1), (attestation.RefreshFraction, attestation.Jitter));
        Assert.False(Resolve<AgentOptions>("--token", "t", "--site", SiteFile, "--FactoryMesh:Agent:Hardware:TeeKind=TDX", "--FactoryMesh:Agent:Evidence:Command=x").IsSimulated);
    }

    [Fact]
    public void Full_keys_set_what_switches_do_not_cover()
    {
        var evidence = Resolve<EvidenceCommandOptions>("--FactoryMesh:Agent:Evidence:Command=/usr/bin/attest", "--FactoryMesh:Agent:Evidence:Arguments:0=--nonce", "--FactoryMesh:Agent:Evidence:Arguments:1={nonce}");
        var hardware = Resolve<HardwareOptions>("--FactoryMesh:Agent:Hardware:TeeKind=TDX", "--FactoryMesh:Agent:Hardware:HostPowerWatts=1800");

        Assert.Equal("/usr/bin/attest", evidence.Command);
        Assert.Equal(["--nonce", "{nonce}"], evidence.Arguments);
        Assert.Equal("TDX", hardware.TeeKind);
        Assert.Equal(1800, hardware.HostPowerWatts);
    }

    [Fact]
    public async Task The_agent_refuses_to_start_naming_every_missing_or_wrong_setting()
    {
        using var host = SiteAgentHost.CreateBuilder(["--server", "ftp://x", "--site", Path.Combine(_folder, "missing.json")]).Build();

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(refusal.Failures, f => f.Contains("ServerUrl", StringComparison.Ordinal));
        Assert.Contains(refusal.Failures, f => f.Contains("exactly one of", StringComparison.Ordinal));
        Assert.Contains(refusal.Failures, f => f.Contains("missing.json", StringComparison.Ordinal));
        Assert.Contains(refusal.Failures, f => f.Contains("TeeKind", StringComparison.Ordinal)); // real hardware (no --simulate)
        Assert.Contains(refusal.Failures, f => f.Contains("Evidence:Command", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--FactoryMesh:Heartbeat:IntervalSeconds=0", "IntervalSeconds")]
    [InlineData("--simulate-format=tpm-quote", "SimulateFormat")]
    [InlineData("--FactoryMesh:Agent:Attestation:RefreshFraction=1.5", "RefreshFraction")]
    [InlineData("--FactoryMesh:Agent:Attestation:Jitter=0.7", "Jitter")]
    public async Task Bad_timing_is_refused_too(string setting, string named)
    {
        using var host = SiteAgentHost.CreateBuilder(["--token", "t", "--site", SiteFile, "--simulate", "1", "--data", _folder, setting]).Build();

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, refusal.Message, StringComparison.Ordinal);
    }
}
