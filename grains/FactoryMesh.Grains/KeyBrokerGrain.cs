using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Identity;
using FactoryMesh.Core.Keys;
using FactoryMesh.Core.KeyRelease;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;
using Orleans.Concurrency;

namespace FactoryMesh.Grains;

/// <summary>Judges key release requests against the node's and the model's current state, and wraps the key to the TEE.</summary>
[StatelessWorker]
public sealed class KeyBrokerGrain(IKeyVault vault, TimeProvider clock) : Grain, IKeyBrokerGrain
{
    /// <inheritdoc />
    public async Task<KeyReleaseResult> ReleaseAsync(string nodeId, string tenantId, string modelId, string presentedTeeKeyJwk, long placementEpoch, string actor)
    {
        var replicaKey = $"{tenantId}/{modelId}";
        var (refusal, detail, artifactKey, currentEpoch, teeKey) = await JudgeAsync(nodeId, replicaKey, presentedTeeKeyJwk, placementEpoch);
        string? jwe = null;
        if (refusal == KeyRefusal.None)
        {
            try
            {
                var dataKey = await vault.UnwrapAsync(tenantId, artifactKey!);
                try
                {
                    jwe = teeKey!.Wrap(dataKey);
                }
                finally
                {
                    Array.Clear(dataKey);
                }
            }
            catch (KeyUnwrapException)
            {
                (refusal, detail) = (KeyRefusal.KeyUnavailable, $"the wrapped data key of {replicaKey} cannot be unwrapped for tenant {tenantId}");
            }
        }

        await GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendAsync(new AuditEntry(
            clock.GetUtcNow(), refusal == KeyRefusal.None ? AuditKinds.KeyRelease : AuditKinds.KeyRefusal, nodeId, actor,
            refusal == KeyRefusal.None ? "released" : refusal.ToString(), $"{replicaKey} epoch {placementEpoch}: {detail}"));
        return new KeyReleaseResult(refusal, detail, jwe, currentEpoch);
    }

    private async Task<(KeyRefusal, string, string?, long, TeeKey?)> JudgeAsync(string nodeId, string replicaKey, string presentedTeeKeyJwk, long placementEpoch)
    {
        var node = await GrainFactory.GetGrain<INodeGrain>(nodeId).GetKeyFactsAsync(replicaKey);
        if (node is null)
        {
            return (KeyRefusal.UnknownNode, $"node {nodeId} is not registered", null, 0, null);
        }

        var model = await GrainFactory.GetGrain<IModelGrain>(replicaKey).GetAsync();
        if (model?.Artifact is not { } artifact)
        {
            return (KeyRefusal.UnknownModel, $"model {replicaKey} does not exist or has no encrypted artifact", null, 0, null);
        }

        var now = clock.GetUtcNow();
        if (node.Trust.State != TrustState.Trusted || node.Trust.ExpiresAt is not { } expires || expires <= now)
        {
            return (KeyRefusal.NodeNotTrusted, $"node {nodeId} is {node.Trust.State}, not Trusted now", null, model.PlacementEpoch, null);
        }

        // The tenant's policy as it is now, not as it was at placement: a policy or site change between placement and
        // this request must not let a key out where the tenant no longer allows it.
        var tenant = await GrainFactory.GetGrain<ITenantGrain>(replicaKey.Split('/')[0]).GetAsync();
        var site = await GrainFactory.GetGrain<ISiteGrain>(NodeId.Parse(nodeId).SiteId).GetAsync();
        if (tenant is null || site is null)
        {
            return (KeyRefusal.OutsideTenantPolicy, "the tenant or the node's site does not exist", null, model.PlacementEpoch, null);
        }

        if (tenant.Policy.ReplicaRefusal(site.Profile, node.TeeKind) is { } outside)
        {
            return (KeyRefusal.OutsideTenantPolicy, $"node {nodeId}: {outside}", null, model.PlacementEpoch, null);
        }

        if (tenant.Policy.AttestationAgeRefusal(node.Trust.VerifiedAt, now) is { } tooOld)
        {
            return (KeyRefusal.AttestationTooOld, $"node {nodeId}: {tooOld}", null, model.PlacementEpoch, null);
        }

        var placed = model.Replicas.FirstOrDefault(r => r.NodeId == nodeId);
        if (placed is null || node.ReplicaPlacementEpoch is null)
        {
            return (KeyRefusal.NoReplica, $"node {nodeId} holds no replica of {replicaKey}", null, model.PlacementEpoch, null);
        }

        if (placed.PlacementEpoch != placementEpoch || node.ReplicaPlacementEpoch != placementEpoch)
        {
            return (KeyRefusal.StaleAssignment, $"the assignment is epoch {placed.PlacementEpoch}, not {placementEpoch}", null, model.PlacementEpoch, null);
        }

        if (TeeKey.TryParse(node.TeePublicKeyJwk) is not { } attested)
        {
            return (KeyRefusal.NoAttestedTeeKey, $"node {nodeId}'s attestation bound no TEE key", null, model.PlacementEpoch, null);
        }

        if (TeeKey.TryParse(presentedTeeKeyJwk) is not { } presented || !presented.SameAs(attested))
        {
            return (KeyRefusal.TeeKeyMismatch, "the presented TEE key is not the one the node attested", null, model.PlacementEpoch, null);
        }

        return (KeyRefusal.None, $"wrapped to node {nodeId}'s attested TEE key", artifact.WrappedKey, model.PlacementEpoch, attested);
    }
}
