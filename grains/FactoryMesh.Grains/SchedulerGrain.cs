using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Tenants;
using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FactoryMesh.Grains;

/// <summary>
/// Solves placements and makes them real. Candidates come from the index of each Site grain the tenant's
/// sovereignty allows (node grains are never visited to gather them); capacity is then reserved on the chosen
/// Node grains, which re-check trust, liveness and room. A node that refuses (another placement got there first,
/// or it just lost trust) is left out and the rest is solved again, keeping what was reserved.
/// </summary>
[StatelessWorker]
public sealed class SchedulerGrain(PlacementSolver solver, TimeProvider clock, IOptions<PlacementOptions> options) : Grain, ISchedulerGrain
{
    /// <inheritdoc />
    public async Task<PlacementDecision> ScheduleAsync(string replicaKey, ModelSpec model, TenantPolicy policy, IReadOnlyList<string> keptNodeIds, long placementEpoch)
    {
        var candidates = await GatherCandidatesAsync(policy);
        var kept = keptNodeIds.ToList();
        var reserved = new List<ReplicaChoice>();
        var refused = new HashSet<string>(StringComparer.Ordinal);
        PlacementDecision decision = null!;
        var allReserved = false;
        for (var attempt = 0; attempt < options.Value.ReservationAttempts && !allReserved; attempt++)
        {
            var pool = candidates.Where(c => !refused.Contains(c.Node.NodeId)).ToList();
            decision = solver.Solve(new PlacementRequest(model, policy, pool, kept, clock.GetUtcNow(), options.Value.MinRemainingFreshness));
            var outcomes = await Task.WhenAll(decision.Replicas.Select(choice =>
                GrainFactory.GetGrain<INodeGrain>(choice.NodeId).ReserveAsync(replicaKey, model.GpuMemoryGiB, placementEpoch, options.Value.MinRemainingFreshness)));
            for (var i = 0; i < outcomes.Length; i++)
            {
                if (outcomes[i] == ReservationOutcome.Reserved)
                {
                    reserved.Add(decision.Replicas[i]);
                    kept.Add(decision.Replicas[i].NodeId);
                }
                else
                {
                    refused.Add(decision.Replicas[i].NodeId);
                }
            }

            allReserved = outcomes.All(o => o == ReservationOutcome.Reserved);
            if (!allReserved)
            {
                // Capacity changed under us: the next round sees the sites' indexes as they are now.
                candidates = await GatherCandidatesAsync(policy);
            }
        }

        // The last round's decision, with every replica reserved over all rounds; feasible only when nothing was left refused.
        return decision with { Replicas = reserved, Feasible = decision.Feasible && allReserved };
    }

    /// <inheritdoc />
    public async Task<PlacementDecision> ProposeAsync(ModelSpec model, TenantPolicy policy, IReadOnlyList<string> keptNodeIds) =>
        solver.Solve(new PlacementRequest(model, policy, await GatherCandidatesAsync(policy), keptNodeIds, clock.GetUtcNow(), options.Value.MinRemainingFreshness));

    /// <inheritdoc />
    public async Task<PlacementExplanation> ExplainAsync(ModelSpec model, TenantPolicy policy)
    {
        var request = new PlacementRequest(model, policy, await GatherCandidatesAsync(policy), [], clock.GetUtcNow(), options.Value.MinRemainingFreshness);
        return new PlacementExplanation(solver.Solve(request), PlacementSolver.Rank(request));
    }

    // Only sites the policy's sovereignty allows are read; the solver still screens every node it is given.
    private Task<List<PlacementCandidate>> GatherCandidatesAsync(TenantPolicy policy) =>
        FleetCandidates.GatherAsync(GrainFactory, site => policy.SovereigntyRefusal(site) is null);
}
