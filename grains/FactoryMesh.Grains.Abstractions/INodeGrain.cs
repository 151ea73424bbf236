using FactoryMesh.Core.Nodes;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A GPU node, keyed by <c>{siteId}/{name}</c>: inventory, liveness, trust and utilization.</summary>
[Alias("FactoryMesh.INodeGrain")]
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the node (or re-registers it) under a new epoch; durable, and in the site index, before it
    /// returns. With <paramref name="expectedEpoch"/>, refuses when the node has moved past it.
    /// </summary>
    [Alias("Register")]
    Task<RegistrationResult> RegisterAsync(NodeInventory inventory, long? expectedEpoch);

    /// <summary>Takes a heartbeat sent under <paramref name="epoch"/>; the sample is persisted behind, on a timer.</summary>
    [Alias("Heartbeat")]
    Task<HeartbeatAnswer> HeartbeatAsync(long epoch, UtilizationSample sample);

    /// <summary>The node, or null when it was never registered.</summary>
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<NodeView?> GetAsync();

    /// <summary>
    /// Holds capacity for a replica of <paramref name="replicaKey"/> (<c>{tenantId}/{modelId}</c>) when the node is
    /// Trusted for at least <paramref name="minRemainingFreshness"/> more, Ready, and has the room; durable and in the
    /// site index before it returns. Reserving a replica it already holds updates its epoch. Placement's optimistic
    /// step: a scheduler that loses the race to another placement hears <see cref="ReservationOutcome.InsufficientCapacity"/>.
    /// </summary>
    [Alias("Reserve")]
    Task<ReservationOutcome> ReserveAsync(string replicaKey, double gpuMemoryGiB, long placementEpoch, TimeSpan minRemainingFreshness);

    /// <summary>
    /// Decides a key release for <paramref name="context"/> and, when allowed, wraps the data key to the node's attested TEE
    /// key, all in one turn: trust, the attested key and the reservation cannot change between judging and wrapping.
    /// Null when the node was never registered.
    /// </summary>
    [Alias("ReleaseKey")]
    Task<NodeKeyRelease?> ReleaseKeyAsync(KeyReleaseContext context);

    /// <summary>Releases a replica's capacity; true when the node held it.</summary>
    [Alias("Release")]
    Task<bool> ReleaseAsync(string replicaKey);

    /// <summary>A new single-use challenge, replacing any outstanding one; null when the node was never registered.</summary>
    [Alias("IssueChallenge")]
    Task<AttestationChallenge?> IssueChallengeAsync();

    /// <summary>
    /// Judges evidence against the outstanding challenge (consumed, right or wrong): Trusted until
    /// min(token expiry, now + max age) when it passes, Untrusted with the failed check when it does not.
    /// The appraisal and any transition are in the audit log before it returns. Null when never registered.
    /// </summary>
    [Alias("Attest")]
    Task<AttestationOutcome?> AttestAsync(string format, string evidence, string actor);

    /// <summary>Makes the node Untrusted at once; null when never registered.</summary>
    [Alias("Revoke")]
    Task<Core.Trust.TrustStatus?> RevokeAsync(string reason, string actor);

    /// <summary>Makes the node Untrusted when its current evidence used <paramref name="certificate"/>; true when it did.</summary>
    [Alias("RevokeCertificate")]
    Task<bool> RevokeCertificateAsync(string certificate, string reason, string actor);

    /// <summary>Wakes the node so that it re-evaluates its liveness and keeps its site index current.</summary>
    [Alias("Resume"), Orleans.Concurrency.OneWay]
    Task ResumeAsync();
}
