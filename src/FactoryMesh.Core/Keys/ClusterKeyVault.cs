using System.Collections.Concurrent;
using System.Security.Cryptography;
using FactoryMesh.Contracts.Artifacts;
using FactoryMesh.Contracts.Identity;

namespace FactoryMesh.Core.Keys;

/// <summary>
/// The <see cref="IKeyVault"/> of a cluster: each tenant's KEK lives in a store all silos share (the cluster's
/// database, sealed under the cluster's key-encryption key), so a data key wrapped through one silo unwraps through
/// any other. Two silos creating a tenant's first KEK at once agree on one: the store keeps the first write of a
/// version and the loser reads it back. KEKs are cached in memory once read and never returned or logged.
/// </summary>
public sealed class ClusterKeyVault(ITenantKekStore store) : IKeyVault, IDisposable
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<TenantKek>> _cache = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async Task<WrappedDataKey> GenerateDataKeyAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        var kek = await CurrentKekAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var dataKey = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        try
        {
            return new WrappedDataKey(dataKey, DataKeyWrap.Wrap(kek.Key, kek.Version, tenantId, dataKey));
        }
        catch
        {
            CryptographicOperations.ZeroMemory(dataKey);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<byte[]> UnwrapAsync(string tenantId, string wrappedKey, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        var version = DataKeyWrap.ReadKekVersion(wrappedKey);
        var kek = Find(tenantId, version);
        if (kek is null)
        {
            // A miss may be a KEK another silo created after this one last read the tenant's.
            await ReloadAsync(tenantId, cancellationToken).ConfigureAwait(false);
            kek = Find(tenantId, version) ?? throw new KeyUnwrapException(
                $"Tenant '{tenantId}' has no key-encryption key version {version} in this cluster: the key was wrapped for another tenant, or by another vault.");
        }

        return DataKeyWrap.Unwrap(kek.Key, tenantId, wrappedKey);
    }

    /// <summary>Zeroes the KEKs held in memory; the store is untouched.</summary>
    public void Dispose()
    {
        foreach (var kek in _cache.Values.SelectMany(k => k))
        {
            CryptographicOperations.ZeroMemory(kek.Key);
        }

        _cache.Clear();
    }

    private async Task<TenantKek> CurrentKekAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (Newest(tenantId) is { } cached)
        {
            return cached;
        }

        if (Newest(await ReloadAsync(tenantId, cancellationToken).ConfigureAwait(false)) is { } stored)
        {
            return stored;
        }

        // Into the cache only once stored: a KEK that wrapped a key and was then lost would lose the artifact.
        await store.TryAddKekAsync(tenantId, new TenantKek(1, RandomNumberGenerator.GetBytes(DataKeyWrap.KekSize)), cancellationToken).ConfigureAwait(false);
        return Newest(await ReloadAsync(tenantId, cancellationToken).ConfigureAwait(false))
            ?? throw new InvalidOperationException($"The key store kept no key-encryption key for tenant '{tenantId}'.");
    }

    private async Task<IReadOnlyList<TenantKek>> ReloadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var keks = await store.ReadKeksAsync(tenantId, cancellationToken).ConfigureAwait(false);
        _cache[tenantId] = keks;
        return keks;
    }

    private TenantKek? Newest(string tenantId) => _cache.TryGetValue(tenantId, out var keks) ? Newest(keks) : null;

    private static TenantKek? Newest(IReadOnlyList<TenantKek> keks) => keks.Count == 0 ? null : keks.MaxBy(k => k.Version);

    private TenantKek? Find(string tenantId, int version) =>
        _cache.TryGetValue(tenantId, out var keks) ? keks.FirstOrDefault(k => k.Version == version) : null;

    private static void CheckTenant(string tenantId)
    {
        if (!ResourceName.IsValid(tenantId))
        {
            throw new ArgumentException($"A tenant id is {ResourceName.Rule}.", nameof(tenantId));
        }
    }
}
