using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A tenant, keyed by its id: the policy every placement and key release of its models obeys.</summary>
[Alias("FactoryMesh.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant or replaces its policy; durable before it returns.</summary>
    [Alias("SetPolicy")]
    Task<TenantView> SetPolicyAsync(TenantPolicy policy);

    /// <summary>The tenant, or null when it does not exist.</summary>
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<TenantView?> GetAsync();

    /// <summary>Records that the tenant has model <paramref name="modelId"/>, so a policy change can re-screen it.</summary>
    [Alias("AddModel")]
    Task AddModelAsync(string modelId);

    /// <summary>The tenant's models.</summary>
    [Alias("ListModels"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<string>> ListModelsAsync();
}
