using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Identity;
using FactoryMesh.Core.Placement;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Grains.Abstractions.Live;

namespace FactoryMesh.Grains;

/// <summary>
/// A model and its placement. It asks the scheduler for the replicas it lacks, keeping healthy ones where they
/// are, and when a node loses a replica it records the loss and places a replacement at once. Every move bumps
/// the placement epoch (so a superseded assignment can never fetch keys again), is audited and is published live.
/// </summary>
public sealed class ModelGrain(
    [PersistentState("model", FleetStorage.Name)] IPersistentState<ModelState> state,
    TimeProvider clock) : Grain, IModelGrain
{
    private const string SystemActor = "system";

    private string Key => this.GetPrimaryKeyString();

    private string TenantId => Key.Split('/')[0];

    private string ModelId => Key.Split('/')[1];

    /// <inheritdoc />
    public async Task<ModelView> DefineAsync(ModelSpec spec, ModelArtifact? artifact)
    {
        state.State.Spec = spec;
        state.State.Artifact = artifact;
        await state.WriteStateAsync();
        return View()!;
    }

    /// <inheritdoc />
    public Task<ModelView?> GetAsync() => Task.FromResult(View());

    /// <inheritdoc />
    public async Task<PlacementOutcome> PlaceAsync(string actor)
    {
        if (state.State.Spec is not { } spec || await GrainFactory.GetGrain<ITenantGrain>(TenantId).GetAsync() is not { } tenant)
        {
            return new PlacementOutcome(null, new PlacementDecision(false, [], 0, [], ["the model or its tenant does not exist"], PlacementModes.Exact, 0));
        }

        var nextEpoch = state.State.PlacementEpoch + 1;
        var decision = await GrainFactory.GetGrain<ISchedulerGrain>(0).ScheduleAsync(Key, spec, tenant.Policy, state.State.Replicas.Keys.ToList(), nextEpoch);
        if (decision.Replicas.Count > 0)
        {
            var now = clock.GetUtcNow();
            state.State.PlacementEpoch = nextEpoch;
            foreach (var choice in decision.Replicas)
            {
                state.State.Replicas[choice.NodeId] = new PlacedReplica(
                    choice.NodeId, choice.SiteId, choice.CostUsdPerMTok, choice.JoulesPerToken, choice.GramsCo2PerToken, choice.CostUsdPerHour, nextEpoch, now);
            }

            await state.WriteStateAsync();
            foreach (var choice in decision.Replicas)
            {
                await RecordMoveAsync(placed: true, choice.NodeId, choice.SiteId, $"placed by {actor}: {decision.Mode} solution", actor);
            }
        }

        return new PlacementOutcome(View(), decision);
    }

    /// <inheritdoc />
    public async Task ReplicaLostAsync(string nodeId, string reason)
    {
        if (!state.State.Replicas.Remove(nodeId, out var lost))
        {
            return;
        }

        state.State.PlacementEpoch++;
        await state.WriteStateAsync();
        await RecordMoveAsync(placed: false, nodeId, lost.SiteId, reason, SystemActor);
        await PlaceAsync(SystemActor);
    }

    private async Task RecordMoveAsync(bool placed, string nodeId, string siteId, string reason, string actor)
    {
        var now = clock.GetUtcNow();
        await GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendAsync(new AuditEntry(
            now, placed ? AuditKinds.ReplicaPlaced : AuditKinds.ReplicaEvicted, nodeId, actor, Key, reason));
        _ = GrainFactory.GetGrain<IFleetPublisherGrain>(0).PublishAsync(new ReplicaEvent(placed, TenantId, ModelId, nodeId, siteId, reason, now));
    }

    private ModelView? View()
    {
        if (state.State.Spec is not { } spec)
        {
            return null;
        }

        var replicas = state.State.Replicas.Values.OrderBy(r => r.NodeId, StringComparer.Ordinal).ToArray();
        var status = replicas.Length == 0 ? "Unplaced" : replicas.Length >= spec.Replicas ? "Placed" : "Degraded";
        return new ModelView(TenantId, ModelId, spec, state.State.Artifact, replicas, state.State.PlacementEpoch, status, replicas.Sum(r => r.CostUsdPerHour));
    }
}
