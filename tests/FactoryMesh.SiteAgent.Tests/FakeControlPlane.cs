using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// A control plane in memory, with the real one's heartbeat rules (epochs, unknown nodes, one node per batch), that
/// can be made unreachable and can forget nodes: the agent's resilience in isolation, in milliseconds. It also
/// assigns replicas and releases data keys the way the key broker does (wrapped to the presented TEE key, for the
/// current placement of a Trusted node only), and answers heartbeats with each node's trust and replicas.
/// </summary>
internal sealed class FakeControlPlane : IControlPlane
{
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _trust = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReplicaAssignment[]> _replicas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string TenantId, string ModelId), byte[]> _dataKeys = new();

    /// <summary>Key releases received: node, tenant, model, placement epoch.</summary>
    public ConcurrentQueue<(string NodeId, string TenantId, string ModelId, long PlacementEpoch)> KeyReleases { get; } = new();

    /// <summary>Sets the data key released for <paramref name="tenantId"/>/<paramref name="modelId"/>.</summary>
    public void SetDataKey(string tenantId, string modelId, byte[] key) => _dataKeys[(tenantId, modelId)] = key;

    /// <summary>Sets the replicas <paramref name="nodeId"/> is assigned.</summary>
    public void Assign(string nodeId, params ReplicaAssignment[] replicas) => _replicas[nodeId] = replicas;

    /// <summary>Sets the trust state heartbeats and key releases report for <paramref name="nodeId"/> (Trusted by default).</summary>
    public void SetTrust(string nodeId, string state) => _trust[nodeId] = state;

    private string TrustOf(string nodeId) => _trust.GetValueOrDefault(nodeId, TrustReport.Trusted);

    /// <summary>When false every call fails as a refused connection would.</summary>
    public bool Reachable { get; set; } = true;

    /// <summary>Every batch received, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<HeartbeatReport>> Batches { get; } = new();

    /// <summary>Registrations received, per node id.</summary>
    public ConcurrentDictionary<string, int> Registrations { get; } = new(StringComparer.Ordinal);

    /// <summary>What each node last registered as.</summary>
    public ConcurrentDictionary<string, NodeRegistration> Inventory { get; } = new(StringComparer.Ordinal);

    /// <summary>Evidence submitted, in order.</summary>
    public ConcurrentQueue<(string NodeId, EvidenceSubmission Submission)> Evidence { get; } = new();

    /// <summary>The node's current epoch, 0 when unknown.</summary>
    public long EpochOf(string nodeId) => _epochs.GetValueOrDefault(nodeId);

    /// <summary>Loses the node, as a control plane on a fresh data folder would.</summary>
    public void Forget(string nodeId) => _epochs.TryRemove(nodeId, out _);

    /// <summary>The token the next refresh answers with.</summary>
    public string RefreshedToken { get; set; } = "refreshed.token.value";

    /// <summary>How many token refreshes were asked for.</summary>
    public int Refreshes => _refreshes;

    private int _refreshes;

    public Task<IssuedToken> RefreshTokenAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        Interlocked.Increment(ref _refreshes);
        return Task.FromResult(new IssuedToken(RefreshedToken, "refreshed", "agent", "eu-par-1", null, DateTimeOffset.UtcNow.AddHours(1)));
    }

    /// <summary>Registration calls received, each a batch.</summary>
    public ConcurrentQueue<IReadOnlyList<NodeRegistrationItem>> RegistrationBatches { get; } = new();

    public Task<IReadOnlyList<NodeRegistrationResult>> RegisterNodesAsync(string siteId, IReadOnlyList<NodeRegistrationItem> batch, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        if (batch.Count is 0 or > 1000 || batch.Select(b => b.NodeId).Distinct().Count() != batch.Count)
        {
            throw new ControlPlaneRefusedException(System.Net.HttpStatusCode.BadRequest, "a batch holds 1 to 1000 nodes, each node once");
        }

        RegistrationBatches.Enqueue(batch);
        IReadOnlyList<NodeRegistrationResult> verdicts = batch.Select(item =>
        {
            var nodeId = $"{siteId}/{item.NodeId}";
            Registrations.AddOrUpdate(nodeId, 1, (_, n) => n + 1);
            Inventory[nodeId] = new NodeRegistration(item.GpuModel!, item.GpuCount!.Value, item.GpuMemoryGiB!.Value, item.TeeKind!, item.PowerWatts!.Value, item.CostUsdPerHour!.Value);
            var epoch = _epochs.AddOrUpdate(nodeId, 1, (_, e) => e + 1);
            return new NodeRegistrationResult(nodeId, true, null, null, epoch, Trusted());
        }).ToArray();
        return Task.FromResult(verdicts);
    }

    public Task<IReadOnlyList<HeartbeatVerdict>> SendHeartbeatsAsync(string siteId, IReadOnlyList<HeartbeatReport> batch, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        if (batch.Count is 0 or > 1000 || batch.Select(b => b.NodeId).Distinct().Count() != batch.Count)
        {
            throw new ControlPlaneRefusedException(System.Net.HttpStatusCode.BadRequest, "a batch holds 1 to 1000 heartbeats, each node once");
        }

        Batches.Enqueue(batch);
        IReadOnlyList<HeartbeatVerdict> verdicts = batch.Select(b => EpochOf(b.NodeId!) switch
        {
            0 => new HeartbeatVerdict(b.NodeId!, false, HeartbeatRefusalCodes.UnknownNode, "unknown node"),
            var current when b.Epoch < current => new HeartbeatVerdict(b.NodeId!, false, HeartbeatRefusalCodes.StaleEpoch, "stale epoch"),
            var current when b.Epoch > current => new HeartbeatVerdict(b.NodeId!, false, HeartbeatRefusalCodes.FutureEpoch, "future epoch"),
            _ => new HeartbeatVerdict(b.NodeId!, true, null, null, TrustOf(b.NodeId!), _replicas.GetValueOrDefault(b.NodeId!, [])),
        }).ToArray();
        return Task.FromResult(verdicts);
    }

    public Task<AttestationChallenge> ChallengeAsync(string nodeId, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return Task.FromResult(new AttestationChallenge("bm9uY2U", DateTimeOffset.UtcNow.AddMinutes(2)));
    }

    public Task<AppraisalResult> SubmitEvidenceAsync(string nodeId, EvidenceSubmission submission, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        Evidence.Enqueue((nodeId, submission));
        return Task.FromResult(new AppraisalResult(true, Trusted(), null, null));
    }

    public Task<ReleasedKey> ReleaseKeyAsync(string nodeId, string tenantId, string modelId, KeyReleaseRequest request, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        var placementEpoch = request.PlacementEpoch ?? throw new ControlPlaneRefusedException(HttpStatusCode.BadRequest, "placementEpoch is required");
        KeyReleases.Enqueue((nodeId, tenantId, modelId, placementEpoch));
        if (TrustOf(nodeId) != TrustReport.Trusted)
        {
            throw new ControlPlaneRefusedException(HttpStatusCode.Forbidden, "NodeNotTrusted");
        }

        if (!_replicas.GetValueOrDefault(nodeId, []).Contains(new ReplicaAssignment(tenantId, modelId, placementEpoch)))
        {
            throw new ControlPlaneRefusedException(HttpStatusCode.Forbidden, "StaleAssignment");
        }

        if (!_dataKeys.TryGetValue((tenantId, modelId), out var key))
        {
            throw new ControlPlaneRefusedException(HttpStatusCode.Forbidden, "UnknownModel");
        }

        var jwk = request.TeePublicKey ?? throw new ControlPlaneRefusedException(HttpStatusCode.BadRequest, "teePublicKey is required");
        using var teePublic = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP384,
            Q = new ECPoint { X = Base64Url(jwk.GetProperty("x").GetString()!), Y = Base64Url(jwk.GetProperty("y").GetString()!) },
        });
        var jwe = Jose.JWT.EncodeBytes(key, teePublic, Jose.JweAlgorithm.ECDH_ES_A256KW, Jose.JweEncryption.A256GCM);
        return Task.FromResult(new ReleasedKey(jwe, "ECDH-ES+A256KW", "A256GCM", placementEpoch));
    }

    private static byte[] Base64Url(string value) => System.Buffers.Text.Base64Url.DecodeFromChars(value);

    private static TrustReport Trusted() => new(TrustReport.Trusted, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), "attested");

    private void ThrowIfUnreachable()
    {
        if (!Reachable)
        {
            throw new ControlPlaneUnreachableException("connection refused (simulated)");
        }
    }
}
