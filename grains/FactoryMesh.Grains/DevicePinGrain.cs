using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>
/// Pins a device certificate to the first node it attested. One grain per certificate, so pinning costs one small
/// write per device, not a rewrite of a fleet-wide list.
/// </summary>
public sealed class DevicePinGrain(
    [PersistentState("device-pin", FleetStorage.Name)] IPersistentState<DevicePinState> state,
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
