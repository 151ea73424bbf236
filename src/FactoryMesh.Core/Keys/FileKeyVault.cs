using System.Security.Cryptography;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Core.Keys;

/// <summary>
/// The embedded <see cref="IKeyVault"/>: one random 256-bit KEK per tenant, created on first use and kept with
/// every other tenant's in one owner-only file, <c>&lt;data&gt;/key-vault.json</c> (mode 0600, replaced atomically),
/// sealed under a master key the vault is given (from configuration, or a file of its own): the vault file alone opens
/// nothing. A vault written in clear by an earlier version is sealed on first use. KEKs never leave this class: no
/// method returns one and nothing logs one. Back the file and the master key up (losing either loses every artifact),
/// and prefer a KMS or HSM behind <see cref="IKeyVault"/> where one is available (see its remarks). Thread-safe; several
/// instances or processes on the same folder stay consistent, since new KEKs are added under a file lock.
/// </summary>
public sealed class FileKeyVault : IKeyVault, IDisposable
{
    private readonly KeyVaultFile _file;
    // Serialises this instance's callers. Never disposed: without a wait handle it holds nothing to free, and
    // leaving it alive lets a call racing Dispose fail with ObjectDisposedException from the flag, not from the gate.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KeyVaultDocument? _cache;
    private bool _disposed;

    /// <summary>A vault kept in <paramref name="dataDirectory"/>, sealed under <paramref name="masterKey"/> (32 bytes); nothing is read or written until first use.</summary>
    public FileKeyVault(string dataDirectory, byte[] masterKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _file = new KeyVaultFile(Path.GetFullPath(dataDirectory), masterKey);
    }

    /// <summary>The vault file's full path (for backups and operators; its contents are secret).</summary>
    public string FilePath => _file.Path;

    /// <inheritdoc/>
    public async Task<WrappedDataKey> GenerateDataKeyAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var dataKey = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var kek = await CurrentKekAsync(tenantId, cancellationToken).ConfigureAwait(false);
            return new WrappedDataKey(dataKey, DataKeyWrap.Wrap(kek.Key, kek.Version, tenantId, dataKey));
        }
        catch
        {
            // Only the caller may hold the clear key, and on failure there is no caller to hand it to.
            CryptographicOperations.ZeroMemory(dataKey);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<byte[]> UnwrapAsync(string tenantId, string wrappedKey, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        var version = DataKeyWrap.ReadKekVersion(wrappedKey);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _cache ??= await LoadAsync(cancellationToken).ConfigureAwait(false);
            var kek = Find(tenantId, version);
            if (kek is null)
            {
                // A miss may be a KEK another instance or process created after this one last read the file.
                Reload(_file.Read());
                kek = Find(tenantId, version) ?? throw new KeyUnwrapException(
                    $"Tenant '{tenantId}' has no key-encryption key version {version} in this vault: the key was wrapped for another tenant, or by another vault.");
            }

            return DataKeyWrap.Unwrap(kek.Key, tenantId, wrappedKey);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Zeroes the KEKs held in memory; the file is untouched.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            Forget();
            _disposed = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    // The tenant's newest KEK; the first use creates it. Creation re-reads the file under the cross-process lock
    // and adds to what is on disk, not to this instance's copy, so a KEK another vault wrote meanwhile is kept.
    private async Task<StoredKek> CurrentKekAsync(string tenantId, CancellationToken cancellationToken)
    {
        _cache ??= await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (Current(tenantId) is { } kek)
        {
            return kek;
        }

        using (await _file.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            Reload(_file.Read());
            if (Current(tenantId) is { } existing)
            {
                return existing;
            }

            // Into memory only once on disk: a KEK that wrapped a key and was then lost would lose the artifact.
            var created = new StoredKek(1, RandomNumberGenerator.GetBytes(DataKeyWrap.KekSize), DateTimeOffset.UtcNow);
            var updated = _cache! with { Tenants = new Dictionary<string, List<StoredKek>>(_cache.Tenants, StringComparer.Ordinal) { [tenantId] = [created] } };
            _file.Write(updated);
            _cache = updated;
            return created;
        }
    }

    // The vault as on disk, sealed first if an earlier version left it in clear (under the lock, read again there).
    private async Task<KeyVaultDocument> LoadAsync(CancellationToken cancellationToken)
    {
        var document = _file.Read();
        if (!_file.LastReadWasClear)
        {
            return document;
        }

        using (await _file.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            document = _file.Read();
            if (_file.LastReadWasClear && document.Tenants.Count > 0)
            {
                _file.Write(document);
            }

            return document;
        }
    }

    private StoredKek? Current(string tenantId) =>
        _cache!.Tenants.TryGetValue(tenantId, out var keks) ? keks.MaxBy(k => k.Version) : null;

    private StoredKek? Find(string tenantId, int version) =>
        _cache!.Tenants.TryGetValue(tenantId, out var keks) ? keks.Find(k => k.Version == version) : null;

    private void Reload(KeyVaultDocument document)
    {
        Forget();
        _cache = document;
    }

    private void Forget()
    {
        foreach (var kek in _cache?.Tenants.Values.SelectMany(k => k) ?? [])
        {
            CryptographicOperations.ZeroMemory(kek.Key);
        }

        _cache = null;
    }

    private static void CheckTenant(string tenantId)
    {
        if (!ResourceName.IsValid(tenantId))
        {
            throw new ArgumentException($"A tenant id is {ResourceName.Rule}.", nameof(tenantId));
        }
    }
}
