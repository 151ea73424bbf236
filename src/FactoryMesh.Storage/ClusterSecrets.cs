using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FactoryMesh.Core.Keys;

namespace FactoryMesh.Storage;

/// <summary>
/// The cluster's shared secrets, sealed under its key-encryption key (KEK) with <see cref="SecretSeal"/> and the
/// secret's name as associated data, in <see cref="ClusterSecretStore"/>: a silo joins a cluster with the connection
/// string and the KEK, nothing copied by hand. The first silo to need a secret creates it; every other reads that one.
/// Also the store of the tenants' KEKs behind <see cref="ClusterKeyVault"/> (<c>tenant-kek/{tenant}/{version}</c>).
/// </summary>
public sealed class ClusterSecrets : ITenantKekStore
{
    /// <summary>The KEK's length: AES-256.</summary>
    public const int KeyEncryptionKeyBytes = 32;

    private const string TenantKekPrefix = "tenant-kek/";
    private readonly ClusterSecretStore _store;
    private readonly byte[] _keyEncryptionKey;

    /// <summary>Secrets in <paramref name="store"/>, sealed under <paramref name="keyEncryptionKey"/> (32 bytes).</summary>
    public ClusterSecrets(ClusterSecretStore store, byte[] keyEncryptionKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keyEncryptionKey);
        if (keyEncryptionKey.Length != KeyEncryptionKeyBytes)
        {
            throw new ArgumentException($"The cluster's key-encryption key is {KeyEncryptionKeyBytes} bytes.", nameof(keyEncryptionKey));
        }

        _store = store;
        _keyEncryptionKey = keyEncryptionKey;
    }

    /// <summary>The secret named <paramref name="name"/>; the first caller in the cluster creates it with <paramref name="create"/>.</summary>
    public async Task<byte[]> GetOrCreateAsync(string name, Func<byte[]> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (await ReadAsync(name, cancellationToken) is { } existing)
        {
            return existing.Value;
        }

        var fresh = create();
        try
        {
            await _store.TryCreateAsync(name, Seal(name, fresh), cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fresh);
        }

        // Read back whichever write won, ours or a silo's that started at the same moment.
        return (await ReadAsync(name, cancellationToken))?.Value
            ?? throw new InvalidOperationException($"The cluster secret '{name}' was neither found nor created.");
    }

    /// <summary>The secret named <paramref name="name"/> with its version, or null.</summary>
    public async Task<OpenedSecret?> ReadAsync(string name, CancellationToken cancellationToken = default)
    {
        var row = await _store.ReadAsync(name, cancellationToken);
        return row is null ? null : new OpenedSecret(row.Version, Open(row));
    }

    /// <summary>Creates <paramref name="name"/> (when <paramref name="expectedVersion"/> is 0) or replaces it from that version; false when another silo wrote first.</summary>
    public Task<bool> TryWriteAsync(string name, long expectedVersion, byte[] value, CancellationToken cancellationToken = default) =>
        expectedVersion == 0
            ? _store.TryCreateAsync(name, Seal(name, value), cancellationToken)
            : _store.TryReplaceAsync(name, expectedVersion, Seal(name, value), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<TenantKek>> ReadKeksAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var rows = await _store.ListAsync($"{TenantKekPrefix}{tenantId}/", cancellationToken);
        return rows.Select(row => new TenantKek(int.Parse(row.Name.AsSpan(row.Name.LastIndexOf('/') + 1), CultureInfo.InvariantCulture), Open(row))).ToList();
    }

    /// <inheritdoc />
    public async Task<bool> TryAddKekAsync(string tenantId, TenantKek kek, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kek);
        var name = string.Create(CultureInfo.InvariantCulture, $"{TenantKekPrefix}{tenantId}/{kek.Version}");
        return await _store.TryCreateAsync(name, Seal(name, kek.Key), cancellationToken);
    }

    private byte[] Seal(string name, byte[] value) => SecretSeal.Seal(_keyEncryptionKey, Context(name), value);

    private byte[] Open(StoredSecret row)
    {
        try
        {
            return SecretSeal.Open(_keyEncryptionKey, Context(row.Name), row.Sealed);
        }
        catch (CryptographicException e)
        {
            // Never the value, nor the key: the name says which secret, the rest what to check.
            throw new InvalidOperationException(
                $"The cluster secret '{row.Name}' does not open with the configured key-encryption key: another key, or the row was altered.", e);
        }
    }

    private static byte[] Context(string name) => Encoding.UTF8.GetBytes($"factorymesh/cluster-secret/{name}");
}

/// <summary>A cluster secret in clear with the version it was read at.</summary>
/// <param name="Version">The row's version, for <see cref="ClusterSecrets.TryWriteAsync"/>.</param>
/// <param name="Value">The clear bytes.</param>
public sealed record OpenedSecret(long Version, byte[] Value);
