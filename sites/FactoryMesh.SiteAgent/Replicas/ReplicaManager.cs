using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Replicas;

/// <summary>
/// The replicas each node holds, kept to what the control plane's latest heartbeat answer says. While a node is
/// Trusted, each newly assigned replica is loaded: its data key is fetched wrapped to the node's TEE key, and the TEE
/// opens it and decrypts the encrypted artifact (<c>&lt;artifacts&gt;/{tenant}/{model}.fma</c>) to a temporary file,
/// which is checked against the plaintext digest beside it (<c>{model}.sha256</c>) and only then moved into place; the
/// agent never holds the data key. When the node is no longer Trusted, or a replica is no longer listed (or listed
/// under another placement), its weights are deleted; weights left by an earlier run are deleted at start. <see cref="Observe"/> records the wish; <see cref="ReconcileAsync"/> (one loop) acts on it.
/// </summary>
internal sealed class ReplicaManager(
    NodeFleet fleet,
    IControlPlane controlPlane,
    IOptions<AgentOptions> options,
    AgentCounters counters,
    ILogger<ReplicaManager> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Wanted> _wanted = new(StringComparer.Ordinal);
    private readonly Dictionary<ReplicaKey, Held> _held = [];

    /// <summary>Wakes the reconciling loop.</summary>
    public AsyncSignal Changed { get; } = new();

    /// <summary>Where decrypted weights go: <c>&lt;data&gt;/weights/{node}/{tenant}/{model}.weights</c>.</summary>
    public string WeightsDirectory => Path.Combine(options.Value.DataDirectoryFullPath, "weights");

    /// <summary>Every replica the agent holds or failed to load, in node, tenant, model order.</summary>
    public IReadOnlyList<ReplicaState> States
    {
        get
        {
            lock (_gate)
            {
                return _held.Values.Select(h => h.State).OrderBy(s => s.NodeId, StringComparer.Ordinal)
                    .ThenBy(s => s.TenantId, StringComparer.Ordinal).ThenBy(s => s.ModelId, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>The replica of <paramref name="tenantId"/>/<paramref name="modelId"/> on <paramref name="nodeId"/>, if held or failed.</summary>
    public ReplicaState? StateOf(string nodeId, string tenantId, string modelId)
    {
        lock (_gate)
        {
            return _held.GetValueOrDefault(new ReplicaKey(nodeId, tenantId, modelId))?.State;
        }
    }

    /// <summary>True when the replica's weights are loaded (decrypted by the node's TEE and in place).</summary>
    public bool IsLoaded(string nodeId, string tenantId, string modelId)
    {
        lock (_gate)
        {
            return _held.GetValueOrDefault(new ReplicaKey(nodeId, tenantId, modelId))?.State.Status == ReplicaStatus.Loaded;
        }
    }

    /// <summary>Records what an accepted heartbeat's answer says of <paramref name="nodeId"/>: its trust state and its replicas now.</summary>
    public void Observe(string nodeId, string trust, IReadOnlyList<ReplicaAssignment> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var wanted = new Wanted(string.Equals(trust, TrustReport.Trusted, StringComparison.Ordinal), trust, [.. replicas]);
        lock (_gate)
        {
            _wanted[nodeId] = wanted;
        }

        Changed.Set();
    }

    /// <summary>Deletes weights a previous run left behind: their keys are gone with it.</summary>
    public void DeleteLeftovers()
    {
        if (Directory.Exists(WeightsDirectory))
        {
            Directory.Delete(WeightsDirectory, recursive: true);
        }
    }

    /// <summary>Brings every node's replicas to what was last observed: purges first, then loads, one at a time.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        KeyValuePair<string, Wanted>[] wanted;
        lock (_gate)
        {
            wanted = [.. _wanted];
        }

        foreach (var (nodeId, want) in wanted)
        {
            var assigned = want.Trusted
                ? want.Replicas.GroupBy(r => new ReplicaKey(nodeId, r.TenantId, r.ModelId)).ToDictionary(g => g.Key, g => g.Max(r => r.PlacementEpoch))
                : [];
            foreach (var (key, held) in HeldOn(nodeId))
            {
                if (!assigned.TryGetValue(key, out var epoch) || epoch != held.State.PlacementEpoch)
                {
                    Purge(key, !want.Trusted ? $"node is {want.Trust}" : assigned.ContainsKey(key) ? $"placement {held.State.PlacementEpoch} replaced by {epoch}" : "no longer assigned");
                }
            }
        }

        foreach (var (nodeId, want) in wanted.Where(w => w.Value.Trusted))
        {
            if (fleet.Find(nodeId) is not { } node)
            {
                continue;
            }

            foreach (var assignment in want.Replicas)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (StateOf(nodeId, assignment.TenantId, assignment.ModelId) is null && StillWanted(nodeId, assignment))
                {
                    await LoadAsync(node, assignment, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Drops every key and deletes every decrypted weight (the agent is stopping).</summary>
    public void PurgeAll(string reason)
    {
        ReplicaKey[] keys;
        lock (_gate)
        {
            keys = [.. _held.Keys];
        }

        foreach (var key in keys)
        {
            Purge(key, reason);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _held.Clear();
        }

        Changed.Dispose();
    }

    private KeyValuePair<ReplicaKey, Held>[] HeldOn(string nodeId)
    {
        lock (_gate)
        {
            return [.. _held.Where(h => string.Equals(h.Key.NodeId, nodeId, StringComparison.Ordinal))];
        }
    }

    // A load takes a while: a newer answer may have withdrawn the replica (or the node's trust) meanwhile.
    private bool StillWanted(string nodeId, ReplicaAssignment assignment)
    {
        lock (_gate)
        {
            return _wanted.GetValueOrDefault(nodeId) is { Trusted: true } want && want.Replicas.Contains(assignment);
        }
    }

    private void Purge(ReplicaKey key, string reason)
    {
        Held? held;
        lock (_gate)
        {
            if (!_held.Remove(key, out held))
            {
                return;
            }
        }

        if (held.State.Status != ReplicaStatus.Loaded)
        {
            return; // nothing of a failed replica was kept
        }

        if (held.State.WeightsPath is { } path)
        {
            File.Delete(path);
        }

        counters.ReplicaPurged();
        logger.ReplicaPurged(key.NodeId, key.TenantId, key.ModelId, held.State.PlacementEpoch, reason);
    }

    private async Task LoadAsync(ManagedNode node, ReplicaAssignment assignment, CancellationToken cancellationToken)
    {
        var (tenantId, modelId, epoch) = (assignment.TenantId, assignment.ModelId, assignment.PlacementEpoch);
        if (!ResourceName.IsValid(tenantId) || !ResourceName.IsValid(modelId))
        {
            Fail(node, assignment, $"not a valid tenant or model name: {ResourceName.Rule}");
            return;
        }

        if (node.TeeKey is not { } tee)
        {
            Fail(node, assignment, "this node's TEE cannot open released keys");
            return;
        }

        var artifact = Path.Combine(options.Value.ArtifactDirectoryFullPath, tenantId, modelId + ".fma");
        var digestFile = Path.ChangeExtension(artifact, ".sha256");
        if (!File.Exists(artifact) || !File.Exists(digestFile))
        {
            Fail(node, assignment, $"no encrypted artifact and digest at {artifact} and {digestFile}");
            return;
        }

        if (ArtifactDigest.Parse(await File.ReadAllTextAsync(digestFile, cancellationToken).ConfigureAwait(false)) is not { } expected)
        {
            Fail(node, assignment, $"{digestFile} holds no SHA-256 digest");
            return;
        }

        ReleasedKey released;
        try
        {
            released = await controlPlane.ReleaseKeyAsync(node.Id, tenantId, modelId, new KeyReleaseRequest(JsonSerializer.SerializeToElement(tee.PublicJwk), epoch), cancellationToken).ConfigureAwait(false);
        }
        catch (ControlPlaneUnreachableException exception)
        {
            // Not a verdict: the next heartbeat answer tries again.
            logger.ReplicaKeyDeferred(node.Id, tenantId, modelId, exception.Message);
            return;
        }
        catch (ControlPlaneRefusedException exception)
        {
            Fail(node, assignment, exception.Message);
            return;
        }

        var folder = Path.Combine(WeightsDirectory, node.Name, tenantId);
        var weights = Path.Combine(folder, modelId + ".weights");
        var temporary = $"{weights}.{Guid.NewGuid():N}.tmp";
        var moved = false;
        try
        {
            AgentFiles.EnsureDirectory(folder);

            // The TEE opens the key and decrypts: the agent holds the ciphertext and the weights, never the data key.
            var digest = await tee.OpenArtifactAsync(released.Jwe, artifact, temporary, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(digest, expected, StringComparison.OrdinalIgnoreCase))
            {
                Fail(node, assignment, $"decrypted weights have SHA-256 {digest}, not {expected}");
                return;
            }

            File.Move(temporary, weights, overwrite: true);
            moved = true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            Fail(node, assignment, $"the artifact does not open: {exception.Message}");
            return;
        }
        finally
        {
            if (!moved)
            {
                File.Delete(temporary);
            }
        }

        var state = new ReplicaState(node.Id, tenantId, modelId, epoch, ReplicaStatus.Loaded, weights, null);
        var keep = StillWanted(node.Id, assignment);
        lock (_gate)
        {
            if (keep)
            {
                _held[new ReplicaKey(node.Id, tenantId, modelId)] = new Held(state);
            }
        }

        if (!keep)
        {
            // Withdrawn while it loaded: purge at once.
            File.Delete(weights);
            return;
        }

        counters.ReplicaLoaded();
        logger.ReplicaLoaded(node.Id, tenantId, modelId, epoch, expected);
    }

    private void Fail(ManagedNode node, ReplicaAssignment assignment, string reason)
    {
        var state = new ReplicaState(node.Id, assignment.TenantId, assignment.ModelId, assignment.PlacementEpoch, ReplicaStatus.Failed, null, reason);
        lock (_gate)
        {
            _held[new ReplicaKey(node.Id, assignment.TenantId, assignment.ModelId)] = new Held(state);
        }

        counters.ReplicaFailed();
        logger.ReplicaFailed(node.Id, assignment.TenantId, assignment.ModelId, assignment.PlacementEpoch, reason);
    }

    private readonly record struct ReplicaKey(string NodeId, string TenantId, string ModelId);

    private sealed record Wanted(bool Trusted, string Trust, ReplicaAssignment[] Replicas);

    // A replica the agent keeps track of: loaded (its weights in place) or failed.
    private sealed record Held(ReplicaState State);
}
