namespace FactoryMesh.Core.Keys;

/// <summary>
/// Where <see cref="ClusterKeyVault"/> keeps the tenants' KEKs: a store every silo of a cluster reads, which seals
/// them at rest. Versions are never replaced, so a KEK once stored opens its wrapped keys for as long as it is kept.
/// </summary>
public interface ITenantKekStore
{
    /// <summary>Every KEK of <paramref name="tenantId"/>, in clear (the caller zeroes them when done).</summary>
    Task<IReadOnlyList<TenantKek>> ReadKeksAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="kek"/> unless the tenant already has that version; false when another writer got there first.</summary>
    Task<bool> TryAddKekAsync(string tenantId, TenantKek kek, CancellationToken cancellationToken = default);
}

/// <summary>One KEK of a tenant.</summary>
/// <param name="Version">Its version, from 1; wrapped keys name it.</param>
/// <param name="Key">The 32 key bytes.</param>
public sealed record TenantKek(int Version, byte[] Key);
