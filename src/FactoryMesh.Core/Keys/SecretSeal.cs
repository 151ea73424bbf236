using System.Security.Cryptography;

namespace FactoryMesh.Core.Keys;

/// <summary>
/// Seals a secret under a 256-bit key with AES-256-GCM: a fresh random 96-bit nonce, then the ciphertext, then the
/// 128-bit tag. The context (what the secret is, e.g. its name) is authenticated as associated data, so a sealed value
/// moved to another name does not open there.
/// </summary>
public static class SecretSeal
{
    private static readonly int NonceSize = AesGcm.NonceByteSizes.MaxSize;
    private static readonly int TagSize = AesGcm.TagByteSizes.MaxSize;

    /// <summary>nonce ‖ ciphertext ‖ tag of <paramref name="clear"/> under <paramref name="key"/>, bound to <paramref name="context"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> context, ReadOnlySpan<byte> clear)
    {
        var sealedBytes = new byte[NonceSize + clear.Length + TagSize];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceSize));
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(sealedBytes.AsSpan(0, NonceSize), clear, sealedBytes.AsSpan(NonceSize, clear.Length), sealedBytes.AsSpan(NonceSize + clear.Length), context);
        return sealedBytes;
    }

    /// <summary>The clear bytes inside <paramref name="sealedBytes"/>; the caller zeroes them after use.</summary>
    /// <exception cref="CryptographicException">Cut short, sealed under another key or context, or altered.</exception>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> context, ReadOnlySpan<byte> sealedBytes)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed value is cut short.");
        }

        var clear = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, clear.Length), sealedBytes[(NonceSize + clear.Length)..], clear, context);
        return clear;
    }
}
