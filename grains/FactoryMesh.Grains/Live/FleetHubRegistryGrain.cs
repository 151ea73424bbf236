using FactoryMesh.Grains.Abstractions.Live;

namespace FactoryMesh.Grains.Live;

/// <summary>
/// The live bridges by silo, in memory only: every bridge renews its registration every
/// <see cref="IFleetHubRegistryGrain.RenewInterval"/>, so after a restart of this grain the list is whole again within
/// it, and a dead silo's bridge ages out.
/// </summary>
public sealed class FleetHubRegistryGrain(TimeProvider clock) : Grain, IFleetHubRegistryGrain
{
    private readonly Dictionary<string, (IFleetObserver Bridge, DateTimeOffset RenewedAt)> _bridges = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task RegisterAsync(string siloId, IFleetObserver bridge)
    {
        _bridges[siloId] = (bridge, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IFleetObserver>> GetBridgesAsync()
    {
        var cutoff = clock.GetUtcNow() - IFleetHubRegistryGrain.Lifetime;
        foreach (var expired in _bridges.Where(b => b.Value.RenewedAt < cutoff).Select(b => b.Key).ToList())
        {
            _bridges.Remove(expired);
        }

        return Task.FromResult<IReadOnlyList<IFleetObserver>>(_bridges.Values.Select(b => b.Bridge).ToArray());
    }
}
