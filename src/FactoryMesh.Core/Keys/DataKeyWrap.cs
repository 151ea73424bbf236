using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Core.Keys;

/// <summary>
/// The wrapped form of a data key under a KEK held in this process (<see cref="FileKeyVault"/>): AES-256-GCM with a
/// fresh random nonce, as one base64url string (87 characters, no padding) of 65 bytes, big-endian:
/// <code>
///  0   1  format version = 1
///  1   4  KEK version: which of the tenant's KEKs wrapped it
///  5  12  nonce (random)
/// 17  32  the data key, encrypted
/// 49  16  GCM tag
/// </code>
/// The additional data is bytes 0..4 followed by the tenant id in UTF-8, so the tag fails for any other tenant,
/// KEK version or format version. Random nonces are safe here: a KEK wraps far fewer than 2^32 keys.
/// </summary>
internal static class DataKeyWrap
{
    /// <summary>The version this code writes and reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Bytes in a KEK (AES-256).</summary>
    public const int KekSize = 32;

    private const int HeaderLength = 1 + 4;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int WrappedLength = HeaderLength + NonceLength + ArtifactCipher.DataKeySize + TagLength;
    private const int CiphertextOffset = HeaderLength + NonceLength;
    private const int TagOffset = CiphertextOffset + ArtifactCipher.DataKeySize;
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(WrappedLength);

    /// <summary>Wraps <paramref name="dataKey"/> for <paramref name="tenantId"/> under <paramref name="kek"/>, the tenant's KEK version <paramref name="kekVersion"/>.</summary>
    public static string Wrap(ReadOnlySpan<byte> kek, int kekVersion, string tenantId, ReadOnlySpan<byte> dataKey)
    {
        Span<byte> wrapped = stackalloc byte[WrappedLength];
        wrapped[0] = FormatVersion;
        BinaryPrimitives.WriteInt32BigEndian(wrapped[1..], kekVersion);
        RandomNumberGenerator.Fill(wrapped.Slice(HeaderLength, NonceLength));
        using var aes = new AesGcm(kek, TagLength);
        aes.Encrypt(wrapped.Slice(HeaderLength, NonceLength), dataKey, wrapped.Slice(CiphertextOffset, ArtifactCipher.DataKeySize),
            wrapped.Slice(TagOffset, TagLength), Aad(wrapped[..HeaderLength], tenantId));
        return Base64Url.EncodeToString(wrapped);
    }

    /// <summary>Which of the tenant's KEKs <paramref name="wrappedKey"/> names, so the vault can find it before unwrapping.</summary>
    /// <exception cref="KeyUnwrapException">Not a wrapped key of this format.</exception>
    public static int ReadKekVersion(string wrappedKey) => BinaryPrimitives.ReadInt32BigEndian(Decode(wrappedKey).AsSpan(1));

    /// <summary>The data key in <paramref name="wrappedKey"/>, opened for <paramref name="tenantId"/> under <paramref name="kek"/>.</summary>
    /// <exception cref="KeyUnwrapException">Malformed, altered, or wrapped for another tenant or under another KEK.</exception>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, string tenantId, string wrappedKey)
    {
        var wrapped = Decode(wrappedKey);
        var dataKey = new byte[ArtifactCipher.DataKeySize];
        using var aes = new AesGcm(kek, TagLength);
        try
        {
            aes.Decrypt(wrapped.AsSpan(HeaderLength, NonceLength), wrapped.AsSpan(CiphertextOffset, ArtifactCipher.DataKeySize),
                wrapped.AsSpan(TagOffset, TagLength), dataKey, Aad(wrapped.AsSpan(0, HeaderLength), tenantId));
            return dataKey;
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new KeyUnwrapException($"The wrapped key does not open for tenant '{tenantId}': it was wrapped for another tenant, or altered.", e);
        }
    }

    private static byte[] Aad(ReadOnlySpan<byte> header, string tenantId)
    {
        var aad = new byte[HeaderLength + Encoding.UTF8.GetByteCount(tenantId)];
        header.CopyTo(aad);
        Encoding.UTF8.GetBytes(tenantId, aad.AsSpan(HeaderLength));
        return aad;
    }

    private static byte[] Decode(string wrappedKey)
    {
        ArgumentNullException.ThrowIfNull(wrappedKey);
        var wrapped = new byte[WrappedLength];
        // One spelling per wrapped key: base64 leaves two spare bits in the last character, and a key that read the
        // same under two spellings would let an altered string pass as the original. .NET's decoder refuses set
        // spare bits today; re-encoding and comparing makes that a property of this format, not of the decoder.
        if (wrappedKey.Length != EncodedLength
            || !Base64Url.IsValid(wrappedKey, out var decodedLength)
            || decodedLength != WrappedLength
            || !Base64Url.TryDecodeFromChars(wrappedKey, wrapped, out var written)
            || written != WrappedLength
            || !string.Equals(Base64Url.EncodeToString(wrapped), wrappedKey, StringComparison.Ordinal))
        {
            throw new KeyUnwrapException($"This is not a wrapped data key: one is {EncodedLength} base64url characters.");
        }

        if (wrapped[0] != FormatVersion)
        {
            throw new KeyUnwrapException($"The wrapped key has format version {wrapped[0]}; this vault knows version {FormatVersion} only.");
        }

        return wrapped;
    }
}
