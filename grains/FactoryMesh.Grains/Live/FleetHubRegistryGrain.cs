using System.Diagnostics;
using FactoryMesh.Grains.Abstractions.Live;

namespace FactoryMesh.Grains.Live;

/// <summary>
/// The live bridges by silo, in memory only: every bridge renews its registration every
/// <see cref="IFleetHubRegistryGrain.RenewInterval"/>, so after a restart of this grain the list is whole again within
/// it, and a dead silo's bridge ages out. Ages are wall-clock time, like the bridges' renewals: on the grains' clock
/// (simulated in tests, or stepped) a jump would age out every live bridge at once and silence the dashboards until
/// their next renewal.
/// </summary>
public sealed class FleetHubRegistryGrain : Grain, IFleetHubRegistryGrain
{
    private readonly Dictionary<string, (IFleetObserver Bridge, long RenewedAt)> _bridges = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task RegisterAsync(string siloId, IFleetObserver bridge)
    {
        _bridges[siloId] = (bridge, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IFleetObserver>> GetBridgesAsync()
    {
        foreach (var expired in _bridges.Where(b => Stopwatch.GetElapsedTime(b.Value.RenewedAt) > IFleetHubRegistryGrain.Lifetime).Select(b => b.Key).ToList())
        {
            _bridges.Remove(expired);
        }

        return Task.FromResult<IReadOnlyList<IFleetObserver>>(_bridges.Values.Select(b => b.Bridge).ToArray());
    }
}
