using System.Buffers.Binary;

namespace FactoryMesh.Contracts.Artifacts;

/// <summary>
/// The byte layout of an encrypted artifact (format <c>FMA1</c>, version 1). All integers are big-endian.
/// <code>
/// header (73 bytes)
///   0   4  magic "FMA1"
///   4   1  version = 1
///   5   4  chunk size: plaintext bytes in every chunk but the last (1 B .. 16 MiB)
///   9  32  salt: random per artifact
///  41  32  HMAC-SHA256 over bytes 0..40 under the header key
/// chunks, back to back from offset 73
///   ciphertext (chunk size bytes; the final chunk has fewer, possibly 0) then its 16-byte GCM tag
/// </code>
/// The final chunk is the one shorter than the chunk size, so a plaintext of an exact multiple of the chunk size
/// ends with an empty final chunk (a bare tag). That lets both sides tell the last chunk by its length alone,
/// without looking ahead, and makes "the artifact ends before its final chunk" detectable: every artifact has one.
/// Each chunk's additional data is the whole header, the chunk's index (8 bytes) and a final flag (1 byte), so a
/// chunk verifies only in its own artifact, at its own place, with its own role as last or not.
/// </summary>
internal static class ArtifactFormat
{
    /// <summary>The version this code writes and reads.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Bytes of the random per-artifact salt.</summary>
    public const int SaltLength = 32;

    /// <summary>Bytes of the header's HMAC-SHA256.</summary>
    public const int MacLength = 32;

    /// <summary>Bytes of each chunk's GCM tag.</summary>
    public const int TagLength = 16;

    /// <summary>Offset of the header's MAC: the length of the fields it covers.</summary>
    public const int MacOffset = VersionOffset + 1 + 4 + SaltLength;

    /// <summary>Bytes of the whole header, MAC included.</summary>
    public const int HeaderLength = MacOffset + MacLength;

    /// <summary>Bytes of a chunk's additional data: header, index, final flag.</summary>
    public const int AadLength = HeaderLength + 8 + 1;

    private const int VersionOffset = 4;
    private const int ChunkSizeOffset = VersionOffset + 1;
    private const int SaltOffset = ChunkSizeOffset + 4;

    /// <summary>The four bytes every artifact starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "FMA1"u8;

    /// <summary>Writes the header's fields (everything but its MAC) into <paramref name="header"/>.</summary>
    public static void WriteFields(Span<byte> header, int chunkSize, ReadOnlySpan<byte> salt)
    {
        Magic.CopyTo(header);
        header[VersionOffset] = FormatVersion;
        BinaryPrimitives.WriteInt32BigEndian(header[ChunkSizeOffset..], chunkSize);
        salt.CopyTo(header[SaltOffset..]);
    }

    /// <summary>The version byte of a header whose magic has been checked.</summary>
    public static byte ReadVersion(ReadOnlySpan<byte> header) => header[VersionOffset];

    /// <summary>The chunk size field of a header, as a signed number so a forged huge value reads as out of range.</summary>
    public static int ReadChunkSize(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32BigEndian(header[ChunkSizeOffset..]);

    /// <summary>The salt of a header.</summary>
    public static ReadOnlySpan<byte> ReadSalt(ReadOnlySpan<byte> header) => header.Slice(SaltOffset, SaltLength);

    /// <summary>Writes chunk <paramref name="index"/>'s additional data into <paramref name="aad"/>, whose first bytes already hold the header.</summary>
    public static void WriteChunkAad(Span<byte> aad, long index, bool final)
    {
        BinaryPrimitives.WriteInt64BigEndian(aad[HeaderLength..], index);
        aad[HeaderLength + 8] = final ? (byte)1 : (byte)0;
    }
}
