using System.Security.Cryptography;
using FactoryMesh.Core.Keys;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Replicas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using FactoryMesh.Contracts.Artifacts;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// A simulated agent against an in-memory control plane that assigns replicas and releases keys: replicas load to
/// their digest while the node is Trusted, fail without leaving anything behind, and are purged (key and weights)
/// when withdrawn or when the node stops being Trusted.
/// </summary>
public sealed class ReplicaLoadingTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private readonly string _folder = Directory.CreateTempSubdirectory("fm-agent-replicas-").FullName;
    private readonly FakeControlPlane _controlPlane = new();
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes((2 * 1024 * 1024) + 77);
    private IHost? _agent;
    private string _nodeId = string.Empty;

    private string Artifacts => Path.Combine(_folder, "artifacts");

    private string Data => Path.Combine(_folder, "data");

    private ReplicaManager Replicas => _agent!.Services.GetRequiredService<ReplicaManager>();

    private AgentCounters Counters => _agent!.Services.GetRequiredService<AgentCounters>();

    public async Task InitializeAsync()
    {
        // "llama" is sound; "tampered" decrypts but its recorded digest is another's; "forged" has a byte flipped; "orphan" has no key.
        await EncryptAsync("llama", recordedDigest: null, flipByte: false);
        await EncryptAsync("tampered", recordedDigest: new string('a', 64), flipByte: false);
        await EncryptAsync("forged", recordedDigest: null, flipByte: true);
        await EncryptAsync("orphan", recordedDigest: null, flipByte: false, withKey: false);

        // Weights a crashed earlier run left behind: their key is gone, so they must go too.
        Directory.CreateDirectory(Path.Combine(Data, "weights", "node-001", Tenant));
        await File.WriteAllTextAsync(Path.Combine(Data, "weights", "node-001", Tenant, "old.weights"), "left over");

        var builder = SiteAgentHost.CreateBuilder(
        [
            "--token", "unused", "--site", Path.Combine(AppContext.BaseDirectory, "sites", "eu-par-1.json"), "--data", Data,
            "--artifacts", Artifacts, "--simulate", "1", "--interval", "0.1", "--Logging:LogLevel:Default=Warning",
        ]);
        builder.Services.AddSingleton<IControlPlane>(_controlPlane);
        _agent = builder.Build();
        await _agent.StartAsync();
        await Eventually.HoldsAsync(() => Counters.HeartbeatsAccepted >= 2, Soon, "the node registers and heartbeats");
        _nodeId = _agent.Services.GetRequiredService<NodeFleet>().Nodes.Single().Id;
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync();
            _agent.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_trusted_node_loads_its_replicas_to_their_digest_and_purges_key_and_weights_when_withdrawn_or_untrusted()
    {
        Assert.False(Directory.Exists(Path.Combine(Data, "weights", "node-001", Tenant, "old.weights")), "leftover weights are deleted at start");

        _controlPlane.Assign(_nodeId, new ReplicaAssignment(Tenant, "llama", 1));
        var loaded = await LoadedAsync("llama", 1);
        Assert.Equal(_plaintext, await File.ReadAllBytesAsync(loaded.WeightsPath!));
        Assert.True(Replicas.IsLoaded(_nodeId, Tenant, "llama"));
        Assert.Equal(1, Counters.ReplicasLoaded);
        Assert.Single(_controlPlane.KeyReleases); // fetched once, not every heartbeat
        await Task.Delay(500);
        Assert.Single(_controlPlane.KeyReleases);

        // Withdrawn: key wiped, weights deleted.
        _controlPlane.Assign(_nodeId);
        await Eventually.HoldsAsync(() => Task.FromResult(Replicas.StateOf(_nodeId, Tenant, "llama") is null), Soon, "the withdrawn replica is purged");
        Assert.False(File.Exists(loaded.WeightsPath));
        Assert.False(Replicas.IsLoaded(_nodeId, Tenant, "llama"));
        Assert.Equal(1, Counters.ReplicasPurged);

        // Assigned again under a new placement: loaded again, then purged when the node is no longer Trusted.
        _controlPlane.Assign(_nodeId, new ReplicaAssignment(Tenant, "llama", 2));
        loaded = await LoadedAsync("llama", 2);
        _controlPlane.SetTrust(_nodeId, "Untrusted");
        await Eventually.HoldsAsync(() => Task.FromResult(Replicas.States.Count == 0), Soon, "an untrusted node holds nothing");
        Assert.False(File.Exists(loaded.WeightsPath));
        Assert.Equal(2, Counters.ReplicasPurged);

        // Trusted again: it comes back.
        _controlPlane.SetTrust(_nodeId, "Trusted");
        loaded = await LoadedAsync("llama", 2);
        Assert.Equal(_plaintext, await File.ReadAllBytesAsync(loaded.WeightsPath!));

        // A moved placement (same model, new epoch) purges the old load and loads the new one.
        _controlPlane.Assign(_nodeId, new ReplicaAssignment(Tenant, "llama", 3));
        await LoadedAsync("llama", 3);
        Assert.Equal(4, Counters.ReplicasLoaded);
        Assert.Equal(3, Counters.ReplicasPurged);
    }

    [Fact]
    public async Task Replicas_that_do_not_decrypt_to_their_digest_or_get_no_key_fail_and_leave_nothing_behind()
    {
        _controlPlane.Assign(
            _nodeId,
            new ReplicaAssignment(Tenant, "tampered", 1),
            new ReplicaAssignment(Tenant, "forged", 1),
            new ReplicaAssignment(Tenant, "orphan", 1),
            new ReplicaAssignment(Tenant, "missing", 1),
            new ReplicaAssignment(Tenant, "llama", 1));

        await LoadedAsync("llama", 1);
        await Eventually.HoldsAsync(() => Task.FromResult(Replicas.States.Count(s => s.Status == ReplicaStatus.Failed) == 4), Soon, "four replicas fail");
        Assert.Contains("not " + new string('a', 64), Replicas.StateOf(_nodeId, Tenant, "tampered")!.Reason, StringComparison.Ordinal);
        Assert.Contains("does not decrypt", Replicas.StateOf(_nodeId, Tenant, "forged")!.Reason, StringComparison.Ordinal);
        Assert.Contains("UnknownModel", Replicas.StateOf(_nodeId, Tenant, "orphan")!.Reason, StringComparison.Ordinal);
        Assert.Contains("no encrypted artifact", Replicas.StateOf(_nodeId, Tenant, "missing")!.Reason, StringComparison.Ordinal);
        Assert.False(Replicas.IsLoaded(_nodeId, Tenant, "tampered"));
        Assert.Equal(4, Counters.ReplicasFailed);

        // Only the sound replica's weights exist: no output or temporary file of a failed one.
        var files = Directory.EnumerateFiles(Path.Combine(Data, "weights"), "*", SearchOption.AllDirectories).Select(Path.GetFileName);
        Assert.Equal(["llama.weights"], files);

        // A failure is a verdict for that placement: not retried on every heartbeat.
        var releases = _controlPlane.KeyReleases.Count;
        await Task.Delay(500);
        Assert.Equal(releases, _controlPlane.KeyReleases.Count);
    }

    private async Task<ReplicaState> LoadedAsync(string model, long epoch)
    {
        await Eventually.HoldsAsync(
            () => Task.FromResult(Replicas.StateOf(_nodeId, Tenant, model) is { Status: ReplicaStatus.Loaded } state && state.PlacementEpoch == epoch),
            Soon,
            $"{model} (placement {epoch}) loads; states: {string.Join("; ", Replicas.States)}");
        return Replicas.StateOf(_nodeId, Tenant, model)!;
    }

    private async Task EncryptAsync(string model, string? recordedDigest, bool flipByte, bool withKey = true)
    {
        var key = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        using var source = new MemoryStream(_plaintext);
        using var sealedStream = new MemoryStream();
        var result = await ArtifactCipher.EncryptAsync(source, sealedStream, key, chunkSize: 256 * 1024);
        var ciphertext = sealedStream.ToArray();
        if (flipByte)
        {
            ciphertext[^100] ^= 0x01;
        }

        Directory.CreateDirectory(Path.Combine(Artifacts, Tenant));
        await File.WriteAllBytesAsync(Path.Combine(Artifacts, Tenant, model + ".fma"), ciphertext);
        await File.WriteAllTextAsync(Path.Combine(Artifacts, Tenant, model + ".sha256"), $"{recordedDigest ?? result.PlaintextSha256}  {model}\n");
        if (withKey)
        {
            _controlPlane.SetDataKey(Tenant, model, key);
        }
    }
}
