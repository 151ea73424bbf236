using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Hardware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// The agent on "real hardware", with nvidia-smi and the attestation client played by scripts: the same process
/// boundary, arguments and parsing as on a GPU host, against the in-memory control plane. The scripts are POSIX shell.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RealHardwareModeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fm-agent-real-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static CommandEvidenceSource EvidenceFrom(string command, double timeoutSeconds = 10, params string[] arguments)
    {
        var options = new Configuration.EvidenceCommandOptions { Command = command, TimeoutSeconds = timeoutSeconds };
        options.Arguments.AddRange(arguments);
        return new CommandEvidenceSource(Options.Create(options));
    }

    [Fact]
    public async Task The_machine_registers_as_one_node_from_nvidia_smi_heartbeats_its_readings_and_attests_with_the_clients_token()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "Samples", "nvidia-smi-h100x8.csv");
        var nvidiaSmi = Script("nvidia-smi", $"""[ "$2" = "--format=csv" ] && cat '{sample}'""");
        var client = Script("attest", """printf 'eyJhbGciOiJFUzM4NCJ9.%s.c2lnbmF0dXJl\n' "$2" """);
        var controlPlane = new FakeControlPlane();
        var builder = SiteAgentHost.CreateBuilder(
        [
            "--token", "t", "--site", Path.Combine(AppContext.BaseDirectory, "sites", "eu-fra-1.json"), "--data", _folder, "--interval", "0.2",
            $"--FactoryMesh:Agent:Hardware:NvidiaSmiPath={nvidiaSmi}", "--FactoryMesh:Agent:Hardware:NodeName=gpu-host-17",
            "--FactoryMesh:Agent:Hardware:TeeKind=TDX", "--FactoryMesh:Agent:Hardware:HostPowerWatts=2400",
            $"--FactoryMesh:Agent:Evidence:Command={client}", "--FactoryMesh:Agent:Evidence:Arguments:0=--nonce", "--FactoryMesh:Agent:Evidence:Arguments:1={nonce}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        builder.Services.AddSingleton<IControlPlane>(controlPlane);
        using var agent = builder.Build();
        await agent.StartAsync();
        try
        {
            await Eventually.HoldsAsync(() => !controlPlane.Batches.IsEmpty && !controlPlane.Evidence.IsEmpty, TimeSpan.FromSeconds(15), "the node registers, heartbeats and attests");
        }
        finally
        {
            await agent.StopAsync();
        }

        var registration = controlPlane.Inventory["eu-fra-1/gpu-host-17"];
        Assert.Equal(new NodeRegistration("H100", 8, 79.6, "TDX", (8 * 700) + 2400, 8 * 2.30), registration);
        var beat = controlPlane.Batches.First().Single();
        Assert.Equal(("eu-fra-1/gpu-host-17", 1L), (beat.NodeId, beat.Epoch));
        Assert.Equal(0.6675, beat.GpuUtilization); // the mean of 87, 91, 84, 89, 0, 0, 93, 90 %
        Assert.Equal(Math.Round(((7 * 61440.0) + 1) / 1024, 1), beat.GpuMemoryUsedGiB);
        Assert.Equal(Math.Round(612.45 + 655.10 + 598.72 + 640.03 + 71.92 + 69.53 + 671.88 + 648.21 + 2400), beat.PowerWatts);
        var (nodeId, submission) = controlPlane.Evidence.First();
        Assert.Equal("eu-fra-1/gpu-host-17", nodeId);
        Assert.Equal("eat-jwt", submission.Format);
        Assert.Equal("eyJhbGciOiJFUzM4NCJ9.bm9uY2U.c2lnbmF0dXJl", submission.Evidence); // the challenge's nonce went in as an argument
    }

    [Fact]
    public async Task The_attestation_client_finds_the_nonce_and_node_in_its_environment_too()
    {
        var source = EvidenceFrom(Script("attest", """printf '%s.%s.sig' "$FACTORYMESH_NODE_ID" "$FACTORYMESH_NONCE" """));

        Assert.Equal("s-1/n-1.abc.sig", await source.CreateAsync("s-1/n-1", "abc", CancellationToken.None));
    }

    [Theory]
    [InlineData("exit 3", 30, "code 3")]
    [InlineData("echo 'not a token'", 30, "one compact JWT")]
    [InlineData("sleep 30", 1, "did not finish")]
    public async Task A_client_that_fails_prints_no_token_or_hangs_gives_no_evidence_and_says_why(string body, double timeoutSeconds, string reason)
    {
        var source = EvidenceFrom(Script("attest", body), timeoutSeconds);

        var failure = await Assert.ThrowsAsync<Attestation.EvidenceUnavailableException>(() => source.CreateAsync("s-1/n-1", "abc", CancellationToken.None));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_client_gives_no_evidence_rather_than_stopping_the_agent()
    {
        var source = EvidenceFrom(Path.Combine(_folder, "no-such-client"));

        await Assert.ThrowsAsync<Attestation.EvidenceUnavailableException>(() => source.CreateAsync("s-1/n-1", "abc", CancellationToken.None));
    }
}
