using System.Security.Cryptography;

namespace FactoryMesh.Core.Keys;

/// <summary>
/// A fresh data key in clear, to encrypt one artifact with, and the same key wrapped under the tenant's KEK, to
/// store beside the artifact. The clear key is meant to live only as long as the encryption: disposing zeroes it,
/// after which only <see cref="WrappedKey"/> remains readable.
/// </summary>
public sealed class WrappedDataKey : IDisposable
{
    private readonly byte[] _dataKey;
    private bool _disposed;

    /// <summary>Pairs <paramref name="dataKey"/> (taken over, not copied: it is zeroed on dispose) with its <paramref name="wrappedKey"/>.</summary>
    public WrappedDataKey(byte[] dataKey, string wrappedKey)
    {
        ArgumentNullException.ThrowIfNull(dataKey);
        ArgumentException.ThrowIfNullOrEmpty(wrappedKey);
        _dataKey = dataKey;
        WrappedKey = wrappedKey;
    }

    /// <summary>The data key in clear.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>: the key is gone.</exception>
    public ReadOnlyMemory<byte> DataKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _dataKey;
        }
    }

    /// <summary>The data key wrapped under the tenant's KEK: a base64url string, safe to store and to send.</summary>
    public string WrappedKey { get; }

    /// <summary>Zeroes the clear data key.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_dataKey);
        _disposed = true;
    }
}
