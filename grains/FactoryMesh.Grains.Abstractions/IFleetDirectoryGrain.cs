namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// The one list of every site and tenant (key <see cref="Key"/>): what listing endpoints read, and what a
/// starting silo walks to resume its sites' liveness tracking.
/// </summary>
[Alias("FactoryMesh.IFleetDirectoryGrain")]
public interface IFleetDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The key of the single directory grain.</summary>
    public const string Key = "fleet";

    /// <summary>Adds a site id; durable before it returns; adding one twice is harmless.</summary>
    [Alias("AddSite")]
    Task AddSiteAsync(string siteId);

    /// <summary>Every site id, in order.</summary>
    [Alias("ListSites"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<string>> ListSitesAsync();

    /// <summary>True when <paramref name="siteId"/> was created: asked before anything activates a site grain for a caller's id.</summary>
    [Alias("HasSite"), Orleans.Concurrency.ReadOnly]
    Task<bool> HasSiteAsync(string siteId);

    /// <summary>Adds a tenant id; durable before it returns; adding one twice is harmless.</summary>
    [Alias("AddTenant")]
    Task AddTenantAsync(string tenantId);

    /// <summary>Every tenant id, in order.</summary>
    [Alias("ListTenants"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<string>> ListTenantsAsync();
}
