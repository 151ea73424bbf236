using System.Security.Cryptography;
using FactoryMesh.Core.Keys;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Core.Tests.Keys;

/// <summary>A random plaintext encrypted in memory, with the offsets tamper tests need.</summary>
internal sealed record SealedArtifact(byte[] Plaintext, byte[] Key, byte[] Bytes, int ChunkSize, ArtifactEncryptionResult Result)
{
    /// <summary>The format's header: magic, version, chunk size, salt, MAC.</summary>
    public const int HeaderLength = 4 + 1 + 4 + 32 + 32;

    public const int TagLength = 16;

    public static async Task<SealedArtifact> CreateAsync(int length, int chunkSize, byte[]? key = null)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        key ??= RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        using var output = new MemoryStream();
        var result = await ArtifactCipher.EncryptAsync(new MemoryStream(plaintext), output, key, chunkSize);
        return new SealedArtifact(plaintext, key, output.ToArray(), chunkSize, result);
    }

    /// <summary>Chunks in the artifact, the final (short, possibly empty) one included.</summary>
    public int ChunkCount => Plaintext.Length / ChunkSize + 1;

    /// <summary>Where chunk <paramref name="index"/> starts.</summary>
    public int ChunkOffset(int index) => HeaderLength + index * (ChunkSize + TagLength);

    /// <summary>The bytes of chunk <paramref name="index"/>, ciphertext and tag.</summary>
    public byte[] Chunk(int index) => Bytes[ChunkOffset(index)..Math.Min(ChunkOffset(index + 1), Bytes.Length)];

    /// <summary>A copy of the artifact with one bit flipped.</summary>
    public byte[] WithBitFlipped(int offset, int bit = 0)
    {
        var copy = Bytes.ToArray();
        copy[offset] ^= (byte)(1 << bit);
        return copy;
    }

    /// <summary>Decrypts <paramref name="bytes"/> (this artifact unless given) into <paramref name="output"/>.</summary>
    public Task<string> DecryptAsync(byte[]? bytes = null, byte[]? key = null, Stream? output = null) =>
        ArtifactCipher.DecryptAsync(new MemoryStream(bytes ?? Bytes), output ?? Stream.Null, key ?? Key);

    /// <summary>Decrypting <paramref name="bytes"/> fails with <paramref name="failure"/>; returns the exception.</summary>
    public async Task<ArtifactIntegrityException> AssertFailsAsync(byte[] bytes, ArtifactFailure failure, byte[]? key = null, Stream? output = null)
    {
        var e = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => DecryptAsync(bytes, key, output));
        Assert.Equal(failure, e.Failure);
        return e;
    }
}
