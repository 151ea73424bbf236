namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// Re-screens placed replicas after a tenant's policy or a site's profile changed. It stands apart from the tenant
/// and site grains because re-screening calls back into them (policy, profile, the scheduler's view of sites): done
/// inside their own turn it would wait on itself.
/// </summary>
[Alias("FactoryMesh.IComplianceGrain")]
public interface IComplianceGrain : IGrainWithIntegerKey
{
    /// <summary>Re-screens every model of <paramref name="tenantId"/>; returns the replicas evicted (and replaced).</summary>
    [Alias("RescreenTenant")]
    Task<int> RescreenTenantAsync(string tenantId, string cause);

    /// <summary>Re-screens every model of every tenant (a site's jurisdiction or zones changed); returns the replicas evicted.</summary>
    [Alias("RescreenFleet")]
    Task<int> RescreenFleetAsync(string cause);
}
