using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>
/// Pins a device certificate to the first node it attested. One grain per certificate, so pinning costs one small
/// write per device, not a rewrite of a fleet-wide list; and that write goes through the node grains' group commit
/// (a fleet's first attestations are a burst of first pins, which one transaction each would serialize on the
/// database's lock, blocking the scheduler thread). Its partition is its 64-character key, which no site id (at most
/// 63 characters) can equal, so no site's scan ever reads it.
/// </summary>
public sealed class DevicePinGrain(
    [PersistentState("device-pin", FleetStorage.Nodes)] IPersistentState<DevicePinState> state,
    TimeProvider clock) : Grain, IDevicePinGrain
{
    /// <inheritdoc />
    public async Task<string> PinAsync(string nodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        if (state.State.NodeId is { } owner)
        {
            return owner;
        }

        state.State.NodeId = nodeId;
        state.State.PinnedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return nodeId;
    }

    /// <inheritdoc />
    public Task<string?> GetOwnerAsync() => Task.FromResult(state.State.NodeId);
}
