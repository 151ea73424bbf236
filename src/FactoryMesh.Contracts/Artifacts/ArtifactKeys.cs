using System.Buffers.Binary;
using System.Security.Cryptography;

namespace FactoryMesh.Contracts.Artifacts;

/// <summary>
/// The keys of one artifact, derived from its data key and its random salt by HKDF-SHA256 under separate labels:
/// the AES-256-GCM chunk key, a 12-byte base nonce, and the header's HMAC key. Deriving per artifact means that
/// even a data key (wrongly) reused across artifacts meets a fresh chunk key each time, so per-chunk nonces built
/// from the chunk index never repeat under a key. The HMAC over the header also commits to the data key, which
/// GCM alone does not, so a wrong key is reported as such before any chunk is touched.
/// </summary>
internal sealed class ArtifactKeys : IDisposable
{
    private const int NonceLength = 12;
    private readonly AesGcm _chunkCipher;
    private readonly byte[] _baseNonce = new byte[NonceLength];
    private readonly byte[] _headerKey = new byte[32];

    public ArtifactKeys(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> salt)
    {
        Span<byte> prk = stackalloc byte[32];
        Span<byte> chunkKey = stackalloc byte[32];
        try
        {
            HKDF.Extract(HashAlgorithmName.SHA256, dataKey, salt, prk);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, chunkKey, "FactoryMesh FMA1 chunk key"u8);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _baseNonce, "FactoryMesh FMA1 chunk nonce"u8);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _headerKey, "FactoryMesh FMA1 header key"u8);
            _chunkCipher = new AesGcm(chunkKey, ArtifactFormat.TagLength);
        }
        finally
        {
            // AesGcm keeps its own copy of the key; these stack copies must not outlive the derivation.
            CryptographicOperations.ZeroMemory(prk);
            CryptographicOperations.ZeroMemory(chunkKey);
        }
    }

    /// <summary>HMAC-SHA256 of the header's fields, written into <paramref name="mac"/>.</summary>
    public void ComputeHeaderMac(ReadOnlySpan<byte> fields, Span<byte> mac) => HMACSHA256.HashData(_headerKey, fields, mac);

    /// <summary>Encrypts chunk <paramref name="index"/>.</summary>
    public void Seal(long index, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(index, nonce);
        _chunkCipher.Encrypt(nonce, plaintext, ciphertext, tag, aad);
    }

    /// <summary>Decrypts chunk <paramref name="index"/>; false when its tag does not verify (nothing usable is left in <paramref name="plaintext"/>).</summary>
    public bool TryOpen(long index, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(index, nonce);
        try
        {
            _chunkCipher.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _chunkCipher.Dispose();
        CryptographicOperations.ZeroMemory(_baseNonce);
        CryptographicOperations.ZeroMemory(_headerKey);
    }

    // As in TLS 1.3: the base nonce XOR the index in its low 8 bytes. Distinct indices give distinct nonces.
    private void Nonce(long index, Span<byte> nonce)
    {
        _baseNonce.CopyTo(nonce);
        var low = nonce[(NonceLength - 8)..];
        BinaryPrimitives.WriteInt64BigEndian(low, BinaryPrimitives.ReadInt64BigEndian(low) ^ index);
    }
}
