using System.Collections.Concurrent;
using FactoryMesh.SiteAgent.ControlPlane;

namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// A control plane in memory, with the real one's heartbeat rules (epochs, unknown nodes, one node per batch), that
/// can be made unreachable and can forget nodes: the agent's resilience in isolation, in milliseconds.
/// </summary>
internal sealed class FakeControlPlane : IControlPlane
{
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);

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

    public Task<RegisteredNode> RegisterNodeAsync(string siteId, string nodeName, NodeRegistration registration, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        var nodeId = $"{siteId}/{nodeName}";
        Registrations.AddOrUpdate(nodeId, 1, (_, n) => n + 1);
        Inventory[nodeId] = registration;
        var epoch = _epochs.AddOrUpdate(nodeId, 1, (_, e) => e + 1);
        return Task.FromResult(new RegisteredNode(nodeId, epoch, Trusted()));
    }

    public Task<IReadOnlyList<HeartbeatVerdict>> SendHeartbeatsAsync(string siteId, IReadOnlyList<HeartbeatReport> batch, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        if (batch.Count is 0 or > 1000 || batch.Select(b => b.NodeId).Distinct().Count() != batch.Count)
        {
            throw new ControlPlaneRefusedException(System.Net.HttpStatusCode.BadRequest, "a batch holds 1 to 1000 heartbeats, each node once");
        }

        Batches.Enqueue(batch);
        IReadOnlyList<HeartbeatVerdict> verdicts = batch.Select(b => EpochOf(b.NodeId) switch
        {
            0 => new HeartbeatVerdict(b.NodeId, false, HeartbeatVerdict.UnknownNode),
            var current when b.Epoch < current => new HeartbeatVerdict(b.NodeId, false, HeartbeatVerdict.StaleEpoch),
            var current when b.Epoch > current => new HeartbeatVerdict(b.NodeId, false, HeartbeatVerdict.FutureEpoch),
            _ => new HeartbeatVerdict(b.NodeId, true, null),
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

    private static TrustReport Trusted() => new(TrustReport.Trusted, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(10), "attested");

    private void ThrowIfUnreachable()
    {
        if (!Reachable)
        {
            throw new ControlPlaneUnreachableException("connection refused (simulated)");
        }
    }
}
