using FactoryMesh.Grains.Abstractions;
using Orleans.Concurrency;

namespace FactoryMesh.Grains;

/// <summary>Walks tenants and their models to re-screen placed replicas; holds no state.</summary>
[StatelessWorker]
public sealed class ComplianceGrain : Grain, IComplianceGrain
{
    /// <inheritdoc />
    public async Task<int> RescreenTenantAsync(string tenantId, string cause)
    {
        var evicted = 0;
        foreach (var modelId in await GrainFactory.GetGrain<ITenantGrain>(tenantId).ListModelsAsync())
        {
            evicted += await GrainFactory.GetGrain<IModelGrain>($"{tenantId}/{modelId}").RescreenAsync(cause);
        }

        return evicted;
    }

    /// <inheritdoc />
    public async Task<int> RescreenFleetAsync(string cause)
    {
        var evicted = 0;
        foreach (var tenantId in await GrainFactory.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListTenantsAsync())
        {
            evicted += await RescreenTenantAsync(tenantId, cause);
        }

        return evicted;
    }
}
