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

    [Fact]
    public async Task A_client_printing_an_nvidia_bundle_gets_the_challenges_sha256_and_its_json_is_passed_on_whole()
    {
        var options = new Configuration.EvidenceCommandOptions { Command = Script("nvattest", """printf '[["JWT", "%s"], {}]\n' "$2" """), Format = "nvidia-eat" };
        options.Arguments.AddRange(["--nonce", "{nonceSha256}"]);
        var source = new CommandEvidenceSource(Options.Create(options));

        var evidence = await source.CreateAsync("s-1/n-1", "abc", CancellationToken.None);

        Assert.Equal("nvidia-eat", source.Format);
        Assert.Equal("""[["JWT", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"], {}]""", evidence); // SHA-256("abc")
        var notJson = new Configuration.EvidenceCommandOptions { Command = Script("broken", "echo '[[JWT'"), Format = "nvidia-eat" };
        await Assert.ThrowsAsync<Attestation.EvidenceUnavailableException>(() => new CommandEvidenceSource(Options.Create(notJson)).CreateAsync("s-1/n-1", "abc", CancellationToken.None));
    }

    [Fact]
    public async Task A_tee_behind_the_tee_key_command_gives_its_public_key_and_opens_only_artifacts_whose_keys_were_wrapped_to_it()
    {
        // The agent's own tee-key verb plays the TEE's program: a separate process holding the private key, which opens the
        // released key and decrypts the artifact itself; the agent only sees the digest of what it wrote.
        var options = new Configuration.TeeKeyCommandOptions { Command = Path.Combine(AppContext.BaseDirectory, "FactoryMesh.SiteAgent") };
        options.Arguments.AddRange(["tee-key", "--key-file", Path.Combine(_folder, "tee", "key.pem")]);
        var tee = await CommandTeeKey.OpenAsync(options, "s-1/n-1", CancellationToken.None);
        var attested = Core.KeyRelease.TeeKey.TryParse(tee.PublicJwk.ToJsonString());
        Assert.NotNull(attested);
        var dataKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Contracts.Artifacts.ArtifactCipher.DataKeySize);
        var weights = System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000);
        var artifact = Path.Combine(_folder, "model.fma");
        await using (var plaintext = new MemoryStream(weights))
        await using (var ciphertext = File.Create(artifact))
        {
            await Contracts.Artifacts.ArtifactCipher.EncryptAsync(plaintext, ciphertext, dataKey);
        }

        var digest = await tee.OpenArtifactAsync(attested.Wrap(dataKey), artifact, Path.Combine(_folder, "model.weights"), CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(weights)), digest.ToLowerInvariant());
        Assert.Equal(weights, await File.ReadAllBytesAsync(Path.Combine(_folder, "model.weights")));
        Assert.Equal(tee.PublicJwk.ToJsonString(), (await CommandTeeKey.OpenAsync(options, "s-1/n-1", CancellationToken.None)).PublicJwk.ToJsonString()); // the key is kept

        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var q = stranger.ExportParameters(false).Q;
        var other = Core.KeyRelease.TeeKey.TryParse($$"""{"kty":"EC","crv":"P-384","x":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(q.X)}}","y":"{{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(q.Y)}}"}""")!;
        await Assert.ThrowsAsync<System.Security.Cryptography.CryptographicException>(() => tee.OpenArtifactAsync(other.Wrap(dataKey), artifact, Path.Combine(_folder, "other.weights"), CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(_folder, "other.weights")) && new FileInfo(Path.Combine(_folder, "other.weights")).Length > 0);
        var broken = new Configuration.TeeKeyCommandOptions { Command = Script("broken-tee", "echo not-a-key") };
        await Assert.ThrowsAsync<InvalidOperationException>(() => CommandTeeKey.OpenAsync(broken, "s-1/n-1", CancellationToken.None));
    }
}
