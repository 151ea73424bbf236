using FactoryMesh.Core.Audit;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Grains.Abstractions.Live;
using Microsoft.Extensions.Options;

namespace FactoryMesh.Grains;

/// <summary>
/// A model and its placement. It asks the scheduler for the replicas it lacks, keeping healthy ones where they
/// are, and when a node loses a replica it records the loss and places a replacement at once. Every move bumps
/// the placement epoch (so a superseded assignment can never fetch keys again), is audited and is published live.
/// </summary>
public sealed class ModelGrain(
    [PersistentState("model", FleetStorage.Name)] IPersistentState<ModelState> state,
    TimeProvider clock,
    IOptions<PlacementOptions> options) : Grain, IModelGrain
{
    private const string SystemActor = "system";
    private static readonly TimeSpan MoveBudgetWindow = TimeSpan.FromMinutes(1);
    private readonly Queue<DateTimeOffset> _recentMoves = new();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.RebalanceInterval;
        this.RegisterGrainTimer(_ => RebalanceAsync(), new GrainTimerCreationOptions(interval, interval));
        return Task.CompletedTask;
    }

    private string Key => this.GetPrimaryKeyString();

    private string TenantId => Key.Split('/')[0];

    private string ModelId => Key.Split('/')[1];

    /// <inheritdoc />
    public async Task<ModelView> DefineAsync(ModelSpec spec, ModelArtifact? artifact)
    {
        state.State.Spec = spec;
        state.State.Artifact = artifact;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ITenantGrain>(TenantId).AddModelAsync(ModelId);
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
    public async Task<int> RebalanceAsync()
    {
        if (state.State.Spec is not { } spec || state.State.Replicas.Count == 0 || await GrainFactory.GetGrain<ITenantGrain>(TenantId).GetAsync() is not { } tenant)
        {
            return 0;
        }

        var moves = 0;
        var scheduler = GrainFactory.GetGrain<ISchedulerGrain>(0);
        foreach (var current in state.State.Replicas.Values.ToList())
        {
            if (!HasMoveBudget())
            {
                break;
            }

            var others = state.State.Replicas.Keys.Where(n => n != current.NodeId).ToList();
            var proposal = await scheduler.ProposeAsync(spec, tenant.Policy, others);
            if (proposal.Replicas.Count == 0 || proposal.Replicas[0].NodeId == current.NodeId || state.State.Replicas.ContainsKey(proposal.Replicas[0].NodeId))
            {
                continue;
            }

            var better = proposal.Replicas[0];
            var gain = 1 - 1 / WeightedRatio(current, better, tenant.Policy.Weights);
            if (gain < options.Value.MigrationCost)
            {
                continue;
            }

            // The new replica is reserved before the old one is released: the model never runs short while moving.
            var epoch = state.State.PlacementEpoch + 1;
            var reserved = await GrainFactory.GetGrain<INodeGrain>(better.NodeId).ReserveAsync(Key, spec.GpuMemoryGiB, epoch, options.Value.MinRemainingFreshness);
            if (reserved != ReservationOutcome.Reserved)
            {
                continue;
            }

            var now = clock.GetUtcNow();
            state.State.PlacementEpoch = epoch;
            state.State.Replicas.Remove(current.NodeId);
            state.State.Replicas[better.NodeId] = new PlacedReplica(
                better.NodeId, better.SiteId, better.CostUsdPerMTok, better.JoulesPerToken, better.GramsCo2PerToken, better.CostUsdPerHour, epoch, now);
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<INodeGrain>(current.NodeId).ReleaseAsync(Key);
            var reason = $"rebalanced: {gain:P0} better per token";
            await RecordMoveAsync(placed: true, better.NodeId, better.SiteId, $"{reason}, from {current.NodeId}", SystemActor);
            await RecordMoveAsync(placed: false, current.NodeId, current.SiteId, $"{reason}, to {better.NodeId}", SystemActor);
            _recentMoves.Enqueue(now);
            moves++;
        }

        return moves;
    }

    /// <inheritdoc />
    public async Task<int> RescreenAsync(string cause)
    {
        if (state.State.Spec is null || state.State.Replicas.Count == 0)
        {
            return 0;
        }

        var policy = (await GrainFactory.GetGrain<ITenantGrain>(TenantId).GetAsync())?.Policy;
        var now = clock.GetUtcNow();
        var evicted = new List<(PlacedReplica Replica, string Reason)>();
        foreach (var replica in state.State.Replicas.Values)
        {
            var node = await GrainFactory.GetGrain<INodeGrain>(replica.NodeId).GetAsync();
            var site = await GrainFactory.GetGrain<ISiteGrain>(replica.SiteId).GetAsync();
            var refusal = policy is null || node is null || site is null
                ? "the tenant, node or site no longer exists"
                : policy.ReplicaRefusal(site.Profile, node.Inventory.TeeKind) ?? policy.AttestationAgeRefusal(node.Trust.VerifiedAt, now);
            if (refusal is not null)
            {
                evicted.Add((replica, refusal));
            }
        }

        if (evicted.Count == 0)
        {
            return 0;
        }

        // Forgotten and the epoch moved on before the nodes are told, so no key is released to them from this instant.
        foreach (var (replica, _) in evicted)
        {
            state.State.Replicas.Remove(replica.NodeId);
        }

        state.State.PlacementEpoch++;
        await state.WriteStateAsync();
        foreach (var (replica, reason) in evicted)
        {
            await GrainFactory.GetGrain<INodeGrain>(replica.NodeId).ReleaseAsync(Key);
            await RecordMoveAsync(placed: false, replica.NodeId, replica.SiteId, $"{cause}: {reason}", SystemActor);
        }

        await PlaceAsync(SystemActor);
        return evicted.Count;
    }

    /// <inheritdoc />
    public async Task<PlanApplication> ApplyPlanAsync(IReadOnlyList<ReplicaChoice> added, IReadOnlyList<string> removed, string actor)
    {
        if (state.State.Spec is not { } spec)
        {
            return new PlanApplication(0, 0, added.Count);
        }

        var epoch = state.State.PlacementEpoch + 1;
        var fresh = added.Where(choice => !state.State.Replicas.ContainsKey(choice.NodeId)).ToList();
        var stillHere = removed.Where(state.State.Replicas.ContainsKey).ToList();
        var outcomes = await Task.WhenAll(fresh.Select(choice =>
            GrainFactory.GetGrain<INodeGrain>(choice.NodeId).ReserveAsync(Key, spec.GpuMemoryGiB, epoch, options.Value.MinRemainingFreshness)));
        var taken = fresh.Where((_, i) => outcomes[i] == ReservationOutcome.Reserved).ToList();
        // One old replica goes per new one that took; with more removals than additions (the model shrinks to its spec) the rest go too.
        var leaving = stillHere.Take(taken.Count + Math.Max(0, stillHere.Count - fresh.Count)).ToList();
        if (taken.Count == 0 && leaving.Count == 0)
        {
            return new PlanApplication(0, 0, fresh.Count);
        }

        var now = clock.GetUtcNow();
        state.State.PlacementEpoch = epoch;
        foreach (var choice in taken)
        {
            state.State.Replicas[choice.NodeId] = new PlacedReplica(
                choice.NodeId, choice.SiteId, choice.CostUsdPerMTok, choice.JoulesPerToken, choice.GramsCo2PerToken, choice.CostUsdPerHour, epoch, now);
        }

        var left = leaving.Select(nodeId => (NodeId: nodeId, state.State.Replicas[nodeId].SiteId)).ToList();
        foreach (var nodeId in leaving)
        {
            state.State.Replicas.Remove(nodeId);
        }

        await state.WriteStateAsync();
        foreach (var (nodeId, siteId) in left)
        {
            await GrainFactory.GetGrain<INodeGrain>(nodeId).ReleaseAsync(Key);
            await RecordMoveAsync(placed: false, nodeId, siteId, $"joint re-plan by {actor}", actor);
        }

        foreach (var choice in taken)
        {
            await RecordMoveAsync(placed: true, choice.NodeId, choice.SiteId, $"joint re-plan by {actor}", actor);
        }

        return new PlanApplication(taken.Count, left.Count, fresh.Count - taken.Count);
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
        await GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendRetryingAsync(new AuditEntry(
            now, placed ? AuditKinds.ReplicaPlaced : AuditKinds.ReplicaEvicted, nodeId, actor, Key, reason), this);
        _ = GrainFactory.GetGrain<IFleetPublisherGrain>(0).PublishAsync(new ReplicaEvent(placed, TenantId, ModelId, nodeId, siteId, reason, now));
    }

    private bool HasMoveBudget()
    {
        var cutoff = clock.GetUtcNow() - MoveBudgetWindow;
        while (_recentMoves.TryPeek(out var at) && at <= cutoff)
        {
            _recentMoves.Dequeue();
        }

        return _recentMoves.Count < options.Value.MaxMovesPerMinute;
    }

    // How much worse the current replica is than the candidate, in the tenant's weighted terms: the weighted mean of
    // the per-metric ratios current/candidate (weights summing to 1). Above 1 means the candidate is better.
    private static double WeightedRatio(PlacedReplica current, ReplicaChoice candidate, ObjectiveWeights weights)
    {
        var total = weights.Cost + weights.Energy + weights.Carbon;
        static double Ratio(double current, double candidate) => candidate > 0 ? current / candidate : 1;
        return (weights.Cost * Ratio(current.CostUsdPerMTok, candidate.CostUsdPerMTok)
            + weights.Energy * Ratio(current.JoulesPerToken, candidate.JoulesPerToken)
            + weights.Carbon * Ratio(current.GramsCo2PerToken, candidate.GramsCo2PerToken)) / total;
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
