using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Trust;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>
/// The replicas a node holds. Capacity is reserved in whole GPUs, and only while the node is Trusted (with enough
/// freshness left) and Ready. When it stops being so, its replicas go: at once when it is Untrusted or NotReady,
/// after the grace period when it is Stale (an agent that re-attests in time keeps them).
/// </summary>
public sealed partial class NodeGrain
{
    private IGrainTimer? _graceTimer;

    /// <inheritdoc />
    public async Task<ReservationOutcome> ReserveAsync(string replicaKey, double gpuMemoryGiB, long placementEpoch, TimeSpan minRemainingFreshness)
    {
        if (State.Inventory is not { } inventory)
        {
            return ReservationOutcome.UnknownNode;
        }

        var now = _clock.GetUtcNow();
        if (State.Trust is not { State: TrustState.Trusted, ExpiresAt: { } expiresAt } || expiresAt - now < minRemainingFreshness)
        {
            return ReservationOutcome.NotTrusted;
        }

        if (_liveness.Evaluate(_observedSince, now) != Liveness.Ready)
        {
            return ReservationOutcome.NotReady;
        }

        var held = WholeGpus(gpuMemoryGiB, inventory);
        var others = State.Replicas.Where(r => r.Key != replicaKey).Sum(r => r.Value.GpuMemoryGiB);
        if (held > inventory.TotalGpuMemoryGiB - others)
        {
            return ReservationOutcome.InsufficientCapacity;
        }

        State.Replicas[replicaKey] = new ReplicaReservation(held, placementEpoch);
        await _writer.WriteAsync();
        await Site.UpdateNodeFactsAsync(Facts());
        return ReservationOutcome.Reserved;
    }


    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(string replicaKey)
    {
        if (!State.Replicas.Remove(replicaKey))
        {
            return false;
        }

        await _writer.WriteAsync();
        await Site.UpdateNodeFactsAsync(Facts());
        return true;
    }

    // A replica takes whole GPUs: what it asks for, rounded up to the GPU size.
    private static double WholeGpus(double gpuMemoryGiB, NodeInventory inventory) =>
        Math.Ceiling(gpuMemoryGiB / inventory.GpuMemoryGiB) * inventory.GpuMemoryGiB;

    // Called after every trust or liveness change.
    private async Task ReactToHealthAsync()
    {
        _graceTimer?.Dispose();
        _graceTimer = null;
        if (State.Replicas.Count == 0)
        {
            return;
        }

        if (State.Trust.State == TrustState.Untrusted)
        {
            await EvictReplicasAsync($"node {_key} is Untrusted: {State.Trust.Reason}");
        }
        else if (State.Liveness == Liveness.NotReady)
        {
            await EvictReplicasAsync($"node {_key} is NotReady");
        }
        else if (State.Trust.State is TrustState.Stale)
        {
            _graceTimer = this.RegisterGrainTimer(
                _ => State.Trust.State == TrustState.Trusted ? Task.CompletedTask : EvictReplicasAsync($"node {_key} stayed {State.Trust.State} past the grace period"),
                new GrainTimerCreationOptions(_placementOptions.Grace, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    private async Task EvictReplicasAsync(string reason)
    {
        var evicted = State.Replicas.Keys.ToList();
        State.Replicas.Clear();
        await _writer.WriteAsync();
        await Site.UpdateNodeFactsAsync(Facts());
        foreach (var replicaKey in evicted)
        {
            await GrainFactory.GetGrain<IModelGrain>(replicaKey).ReplicaLostAsync(_key, reason);
        }
    }
}
