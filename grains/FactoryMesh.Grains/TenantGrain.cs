using FactoryMesh.Core.Tenants;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>A tenant and its placement and trust policy.</summary>
public sealed class TenantGrain : Grain, ITenantGrain
{
    private readonly IPersistentState<TenantState> _state;
    private readonly TimeProvider _clock;

    /// <summary>Creates the grain with its durable state and clock.</summary>
    public TenantGrain([PersistentState("tenant", FleetStorage.Name)] IPersistentState<TenantState> state, TimeProvider clock)
    {
        _state = state;
        _clock = clock;
    }

    /// <inheritdoc />
    public async Task<TenantView> SetPolicyAsync(TenantPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _state.State.Policy = policy;
        _state.State.UpdatedAt = _clock.GetUtcNow();
        await _state.WriteStateAsync();
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).AddTenantAsync(this.GetPrimaryKeyString());
        return new TenantView(this.GetPrimaryKeyString(), policy, _state.State.UpdatedAt);
    }

    /// <inheritdoc />
    public Task<TenantView?> GetAsync() => Task.FromResult(
        _state.State.Policy is { } policy ? new TenantView(this.GetPrimaryKeyString(), policy, _state.State.UpdatedAt) : null);

    /// <inheritdoc />
    public async Task AddModelAsync(string modelId)
    {
        if (_state.State.Models.Add(modelId))
        {
            await _state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListModelsAsync() => Task.FromResult<IReadOnlyList<string>>(_state.State.Models.ToArray());
}
