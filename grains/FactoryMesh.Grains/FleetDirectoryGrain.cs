using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>The list of every site and tenant.</summary>
public sealed class FleetDirectoryGrain : Grain, IFleetDirectoryGrain
{
    private readonly IPersistentState<FleetDirectoryState> _state;

    /// <summary>Creates the grain with its durable state.</summary>
    public FleetDirectoryGrain([PersistentState("directory", FleetStorage.Name)] IPersistentState<FleetDirectoryState> state)
    {
        _state = state;
    }

    /// <inheritdoc />
    public Task AddSiteAsync(string siteId) => AddAsync(_state.State.Sites, siteId);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListSitesAsync() => Task.FromResult<IReadOnlyList<string>>(_state.State.Sites.ToArray());

    /// <inheritdoc />
    public Task<bool> HasSiteAsync(string siteId) => Task.FromResult(_state.State.Sites.Contains(siteId));

    /// <inheritdoc />
    public Task AddTenantAsync(string tenantId) => AddAsync(_state.State.Tenants, tenantId);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListTenantsAsync() => Task.FromResult<IReadOnlyList<string>>(_state.State.Tenants.ToArray());

    private Task AddAsync(SortedSet<string> set, string id) => set.Add(id) ? _state.WriteStateAsync() : Task.CompletedTask;
}
