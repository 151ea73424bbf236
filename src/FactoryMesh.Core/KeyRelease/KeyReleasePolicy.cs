using FactoryMesh.Core.Trust;

namespace FactoryMesh.Core.KeyRelease;

/// <summary>
/// Whether a model's data key may go to a node, from facts alone: the node Trusted now, the tenant's policy (sovereignty,
/// TEE kind, attestation age) as it is now, the replica held on both sides under the requested placement epoch, and the
/// presented TEE key the very one the node attested. Pure, so the node grain can apply it in the same turn that wraps.
/// </summary>
public static class KeyReleasePolicy
{
    /// <summary>The refusal with its reason, or <see cref="KeyRefusal.None"/> and the attested key to wrap to.</summary>
    public static (KeyRefusal Refusal, string Detail, TeeKey? WrapTo) Judge(KeyReleaseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var (node, replica) = (facts.NodeId, facts.ReplicaKey);
        if (facts.Trust.State != TrustState.Trusted || facts.Trust.ExpiresAt is not { } expires || expires <= facts.Now)
        {
            return (KeyRefusal.NodeNotTrusted, $"node {node} is {facts.Trust.State}, not Trusted now", null);
        }

        // The tenant's policy as it is now, not as it was at placement: a policy or site change between placement and
        // this request must not let a key out where the tenant no longer allows it.
        if (facts.Policy.ReplicaRefusal(facts.Site, facts.NodeTeeKind) is { } outside)
        {
            return (KeyRefusal.OutsideTenantPolicy, $"node {node}: {outside}", null);
        }

        if (facts.Policy.AttestationAgeRefusal(facts.Trust.VerifiedAt, facts.Now) is { } tooOld)
        {
            return (KeyRefusal.AttestationTooOld, $"node {node}: {tooOld}", null);
        }

        if (facts.ModelReplicaEpoch is not { } placed || facts.NodeReplicaEpoch is not { } reserved)
        {
            return (KeyRefusal.NoReplica, $"node {node} holds no replica of {replica}", null);
        }

        if (placed != facts.RequestedEpoch || reserved != facts.RequestedEpoch)
        {
            return (KeyRefusal.StaleAssignment, $"the assignment is epoch {placed}, not {facts.RequestedEpoch}", null);
        }

        if (TeeKey.TryParse(facts.AttestedTeeKeyJwk) is not { } attested)
        {
            return (KeyRefusal.NoAttestedTeeKey, $"node {node}'s attestation bound no TEE key", null);
        }

        return TeeKey.TryParse(facts.PresentedTeeKeyJwk) is { } presented && presented.SameAs(attested)
            ? (KeyRefusal.None, $"wrapped to node {node}'s attested TEE key", attested)
            : (KeyRefusal.TeeKeyMismatch, "the presented TEE key is not the one the node attested", null);
    }
}
