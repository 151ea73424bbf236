using FactoryMesh.Core.Audit;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.KeyRelease;
using FactoryMesh.Grains.Abstractions;
using Orleans.Concurrency;

namespace FactoryMesh.Grains;

/// <summary>
/// Takes key release requests: reads what the model, the tenant and the node's site say now, hands them to the node grain,
/// which judges and wraps in one turn (<see cref="INodeGrain.ReleaseKeyAsync"/>), and audits the outcome either way.
/// </summary>
[StatelessWorker]
public sealed class KeyBrokerGrain(TimeProvider clock) : Grain, IKeyBrokerGrain
{
    /// <inheritdoc />
    public async Task<KeyReleaseResult> ReleaseAsync(string nodeId, string tenantId, string modelId, string presentedTeeKeyJwk, long placementEpoch, string actor)
    {
        var replicaKey = $"{tenantId}/{modelId}";
        var (refusal, detail, jwe, currentEpoch) = await DecideAsync(nodeId, tenantId, replicaKey, presentedTeeKeyJwk, placementEpoch);
        await GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendRetryingAsync(new AuditEntry(
            clock.GetUtcNow(), refusal == KeyRefusal.None ? AuditKinds.KeyRelease : AuditKinds.KeyRefusal, nodeId, actor,
            refusal == KeyRefusal.None ? "released" : refusal.ToString(), $"{replicaKey} epoch {placementEpoch}: {detail}"), this);
        return new KeyReleaseResult(refusal, detail, jwe, currentEpoch);
    }

    private async Task<(KeyRefusal, string, string?, long)> DecideAsync(string nodeId, string tenantId, string replicaKey, string presentedTeeKeyJwk, long placementEpoch)
    {
        var model = await GrainFactory.GetGrain<IModelGrain>(replicaKey).GetAsync();
        if (model?.Artifact is not { } artifact)
        {
            return (KeyRefusal.UnknownModel, $"model {replicaKey} does not exist or has no encrypted artifact", null, 0);
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(tenantId).GetAsync();
        var site = await GrainFactory.GetGrain<ISiteGrain>(NodeId.Parse(nodeId).SiteId).GetAsync();
        if (tenant is null || site is null)
        {
            return (KeyRefusal.OutsideTenantPolicy, "the tenant or the node's site does not exist", null, model.PlacementEpoch);
        }

        var context = new KeyReleaseContext(
            replicaKey, tenantId, presentedTeeKeyJwk, placementEpoch, model.Replicas.FirstOrDefault(r => r.NodeId == nodeId)?.PlacementEpoch,
            artifact.WrappedKey, tenant.Policy, site.Profile);
        return await GrainFactory.GetGrain<INodeGrain>(nodeId).ReleaseKeyAsync(context) is { } decision
            ? (decision.Refusal, decision.Detail, decision.Jwe, model.PlacementEpoch)
            : (KeyRefusal.UnknownNode, $"node {nodeId} is not registered", null, model.PlacementEpoch);
    }
}
