using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Placement.Joint;
using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.Options;

namespace FactoryMesh.Grains;

/// <summary>
/// The fleet's joint planner. It reads the node facts of every site from their Site grains and every model in scope from its
/// Model grain, solves on the thread pool (a solve takes up to its time limit of CPU, which must not hold an Orleans scheduler
/// thread), and applies the plan model by model: each model reserves its new nodes before it releases old ones. One grain
/// for the fleet, so two joint plans never interleave.
/// </summary>
public sealed class FleetPlannerGrain(JointPlacementSolver solver, TimeProvider clock, IOptions<PlacementOptions> options) : Grain, IFleetPlannerGrain
{
    private const int MaxApplyPasses = 3;

    /// <inheritdoc />
    public async Task<FleetPlanOutcome> PlanAsync(FleetPlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenantIds = request.TenantId is { } only ? [only] : await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListTenantsAsync();
        var items = new List<JointPlacementItem>();
        foreach (var tenantId in tenantIds)
        {
            if (await GrainFactory.GetGrain<ITenantGrain>(tenantId).GetAsync() is not { } tenant)
            {
                continue;
            }

            var modelIds = await GrainFactory.GetGrain<ITenantGrain>(tenantId).ListModelsAsync();
            var models = await Task.WhenAll(modelIds.Select(id => GrainFactory.GetGrain<IModelGrain>($"{tenantId}/{id}").GetAsync()));
            items.AddRange(models.OfType<ModelView>().Select(model => new JointPlacementItem(
                $"{model.TenantId}/{model.ModelId}", model.Spec, tenant.Policy, model.Replicas.Select(r => r.NodeId).ToArray())));
        }

        var candidates = await FleetCandidates.GatherAsync(GrainFactory, _ => true);
        var now = clock.GetUtcNow();
        var joint = new JointPlacementRequest(candidates, items, now, options.Value.MinRemainingFreshness, request.MaxMoves, request.TimeLimit);
        var plan = await Task.Run(() => solver.Solve(joint));
        if (request.DryRun)
        {
            return new FleetPlanOutcome(plan, false, 0, 0, 0);
        }

        // A model's new node may still hold a replica another model is about to move away, so a refused reservation is tried
        // again after the others have moved, while that makes progress.
        int added = 0, removed = 0, refused = 0;
        var pending = plan.Models.Where(m => m.Added.Count > 0 || m.Removed.Count > 0).ToList();
        for (var pass = 0; pass < MaxApplyPasses && pending.Count > 0; pass++)
        {
            var retry = new List<JointModelPlan>();
            var progress = false;
            refused = 0;
            foreach (var model in pending)
            {
                var newReplicas = model.Replicas.Where(r => model.Added.Contains(r.NodeId, StringComparer.Ordinal)).ToArray();
                var applied = await GrainFactory.GetGrain<IModelGrain>(model.Key).ApplyPlanAsync(newReplicas, model.Removed, request.Actor);
                (added, removed, refused) = (added + applied.Added, removed + applied.Removed, refused + applied.Refused);
                progress |= applied.Added + applied.Removed > 0;
                if (applied.Refused > 0)
                {
                    retry.Add(model);
                }
            }

            pending = progress ? retry : [];
        }

        await GrainFactory.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendRetryingAsync(new AuditEntry(
            now, AuditKinds.FleetPlacement, null, request.Actor, "applied",
            $"{(request.TenantId is { } scope ? $"tenant {scope}" : "every tenant")}: {plan.Models.Count} models, {plan.ReplicaCount} replicas, {plan.Status}, gap {plan.Gap:P2}: {added} added, {removed} removed, {refused} refused"), this);
        return new FleetPlanOutcome(plan, true, added, removed, refused);
    }
}
