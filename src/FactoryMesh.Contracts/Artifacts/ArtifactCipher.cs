using System.Security.Cryptography;
using static FactoryMesh.Contracts.Artifacts.ArtifactFormat;

namespace FactoryMesh.Contracts.Artifacts;

/// <summary>
/// Authenticated encryption of model artifacts (multi-GB weights) as a stream of AES-256-GCM chunks, so neither
/// side ever holds more than a few chunks in memory (two in and two out: one being read or written while the
/// other is sealed or opened). The layout is described on <see cref="ArtifactFormat"/>: a
/// MAC-sealed header with a random salt, then chunks bound to their index and to whether they are the last, so
/// that altering, reordering, dropping, cutting or appending anything fails with an
/// <see cref="ArtifactIntegrityException"/> naming what failed. Use one fresh data key per artifact
/// (<see cref="IKeyVault.GenerateDataKeyAsync"/>).
/// </summary>
public static class ArtifactCipher
{
    /// <summary>Bytes in a data key (AES-256).</summary>
    public const int DataKeySize = 32;

    /// <summary>Plaintext bytes per chunk unless told otherwise: large enough that tags and calls cost nothing, small enough to hold.</summary>
    public const int DefaultChunkSize = 1 << 20;

    /// <summary>The largest chunk size written or read: a reader allocates buffers by the header's chunk size, so it may not ask for more.</summary>
    public const int MaxChunkSize = 16 << 20;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> (read to its end) into <paramref name="ciphertext"/> under
    /// <paramref name="dataKey"/> in chunks of <see cref="DefaultChunkSize"/>; returns the plaintext's SHA-256 and length.
    /// </summary>
    public static Task<ArtifactEncryptionResult> EncryptAsync(Stream plaintext, Stream ciphertext, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default) =>
        EncryptAsync(plaintext, ciphertext, dataKey, DefaultChunkSize, cancellationToken);

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> (read to its end) into <paramref name="ciphertext"/> under
    /// <paramref name="dataKey"/> in chunks of <paramref name="chunkSize"/> plaintext bytes (1 to <see cref="MaxChunkSize"/>);
    /// returns the plaintext's SHA-256 and length, computed on the way through.
    /// </summary>
    public static async Task<ArtifactEncryptionResult> EncryptAsync(
        Stream plaintext, Stream ciphertext, ReadOnlyMemory<byte> dataKey, int chunkSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(ciphertext);
        CheckDataKey(dataKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxChunkSize);

        // One buffer serves as the header and, behind it, each chunk's index and final flag: the chunk's additional data.
        var aad = new byte[AadLength];
        WriteFields(aad, chunkSize, RandomNumberGenerator.GetBytes(SaltLength));
        using var keys = new ArtifactKeys(dataKey.Span, ReadSalt(aad));
        keys.ComputeHeaderMac(aad.AsSpan(0, MacOffset), aad.AsSpan(MacOffset, MacLength));
        await ciphertext.WriteAsync(aad.AsMemory(0, HeaderLength), cancellationToken).ConfigureAwait(false);

        byte[][] inputs = [GC.AllocateUninitializedArray<byte>(chunkSize), GC.AllocateUninitializedArray<byte>(chunkSize)];
        byte[][] outputs = [GC.AllocateUninitializedArray<byte>(chunkSize + TagLength), GC.AllocateUninitializedArray<byte>(chunkSize + TagLength)];
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Already-completed placeholders until the first read and write: no nulls to track.
        var reading = Task.FromResult(0);
        var writing = Task.CompletedTask;
        long length = 0;
        try
        {
            reading = ReadChunkAsync(plaintext, inputs[0], cancellationToken);
            for (long index = 0; ; index++)
            {
                var (input, output) = (inputs[index & 1], outputs[index & 1]);
                // A short read happens only at the end of the stream, so it marks the final chunk (possibly empty).
                var read = await reading.ConfigureAwait(false);
                var final = read < chunkSize;
                // Double buffering: the next chunk is read, and the previous one written, while this one is hashed
                // and sealed, so the disk and the CPU work at once instead of taking turns.
                if (!final)
                {
                    reading = ReadChunkAsync(plaintext, inputs[(index + 1) & 1], cancellationToken);
                }

                sha256.AppendData(input, 0, read);
                WriteChunkAad(aad, index, final);
                keys.Seal(index, input.AsSpan(0, read), output.AsSpan(0, read), output.AsSpan(read, TagLength), aad);
                await writing.ConfigureAwait(false);
                writing = ciphertext.WriteAsync(output.AsMemory(0, read + TagLength), cancellationToken).AsTask();
                length += read;
                if (final)
                {
                    await writing.ConfigureAwait(false);
                    break;
                }
            }
        }
        finally
        {
            await SettleAsync(reading, writing).ConfigureAwait(false);
            // The weights are the tenant's secret: do not leave chunks of them lying in freed memory.
            Array.ForEach(inputs, b => CryptographicOperations.ZeroMemory(b));
        }

        return new ArtifactEncryptionResult(Convert.ToHexStringLower(sha256.GetHashAndReset()), length);
    }

    /// <summary>
    /// Decrypts the artifact in <paramref name="ciphertext"/> into <paramref name="plaintext"/> under <paramref name="dataKey"/>
    /// and returns the plaintext's SHA-256, lowercase hex, to compare with the artifact's recorded digest.
    /// </summary>
    /// <remarks>
    /// Each chunk is authenticated before its plaintext is written, but only reaching the final chunk proves the
    /// artifact whole: on an <see cref="ArtifactIntegrityException"/>, discard whatever was written.
    /// </remarks>
    /// <exception cref="ArtifactIntegrityException">The artifact is not authentic under this key, or not complete.</exception>
    public static async Task<string> DecryptAsync(Stream ciphertext, Stream plaintext, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(plaintext);
        CheckDataKey(dataKey);

        var aad = new byte[AadLength];
        var headerRead = await ciphertext.ReadAtLeastAsync(aad.AsMemory(0, HeaderLength), HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        using var keys = OpenHeader(aad, headerRead, dataKey.Span);
        var chunkSize = ReadChunkSize(aad);

        byte[][] inputs = [GC.AllocateUninitializedArray<byte>(chunkSize + TagLength), GC.AllocateUninitializedArray<byte>(chunkSize + TagLength)];
        byte[][] outputs = [GC.AllocateUninitializedArray<byte>(chunkSize), GC.AllocateUninitializedArray<byte>(chunkSize)];
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Already-completed placeholders until the first read and write: no nulls to track.
        var reading = Task.FromResult(0);
        var writing = Task.CompletedTask;
        try
        {
            reading = ReadChunkAsync(ciphertext, inputs[0], cancellationToken);
            for (long index = 0; ; index++)
            {
                var (input, output) = (inputs[index & 1], outputs[index & 1]);
                var read = await reading.ConfigureAwait(false);
                if (read < TagLength)
                {
                    throw new ArtifactIntegrityException(ArtifactFailure.Truncated, read == 0
                        ? $"The artifact ends before its final chunk: there is no chunk {index}."
                        : $"The artifact ends before its final chunk: chunk {index} is cut short ({read} bytes).", index);
                }

                // Only the final chunk is shorter than a full one; a full read is never final, whatever follows.
                var final = read < input.Length;
                var length = read - TagLength;
                // As in encryption: read the next chunk and write the previous one while this one is opened.
                if (!final)
                {
                    reading = ReadChunkAsync(ciphertext, inputs[(index + 1) & 1], cancellationToken);
                }

                WriteChunkAad(aad, index, final);
                if (!keys.TryOpen(index, input.AsSpan(0, length), input.AsSpan(length, TagLength), output.AsSpan(0, length), aad))
                {
                    throw new ArtifactIntegrityException(ArtifactFailure.ChunkAuthentication, final
                        ? $"Chunk {index} failed authentication as the final chunk: it was altered, or the artifact was cut short inside a chunk."
                        : $"Chunk {index} failed authentication: it was altered or moved, or data was appended after the final chunk.", index);
                }

                sha256.AppendData(output, 0, length);
                await writing.ConfigureAwait(false);
                writing = plaintext.WriteAsync(output.AsMemory(0, length), cancellationToken).AsTask();
                if (final)
                {
                    await writing.ConfigureAwait(false);
                    return Convert.ToHexStringLower(sha256.GetHashAndReset());
                }
            }
        }
        finally
        {
            await SettleAsync(reading, writing).ConfigureAwait(false);
            Array.ForEach(outputs, b => CryptographicOperations.ZeroMemory(b));
        }
    }

    private static Task<int> ReadChunkAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken) =>
        stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).AsTask();

    // After a failure a read or write may still be filling or draining a buffer that is about to be zeroed and
    // dropped: wait for it to finish. Its own outcome no longer matters; the failure that got here is reported.
    private static async Task SettleAsync(Task reading, Task writing)
    {
        await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // Checks the header in order of what a reader can say with least trust: is it an artifact, of a version we
    // read, complete, sealed under this key; only then are its fields (the chunk size we allocate by) believed.
    private static ArtifactKeys OpenHeader(byte[] header, int read, ReadOnlySpan<byte> dataKey)
    {
        var magicRead = Math.Min(read, Magic.Length);
        if (!header.AsSpan(0, magicRead).SequenceEqual(Magic[..magicRead]))
        {
            throw new ArtifactIntegrityException(ArtifactFailure.NotAnArtifact, "The stream is not an encrypted artifact: it does not start with FMA1.");
        }

        if (read > Magic.Length && ReadVersion(header) != FormatVersion)
        {
            throw new ArtifactIntegrityException(ArtifactFailure.UnsupportedVersion, $"The artifact has format version {ReadVersion(header)}; this reader knows version {FormatVersion} only.");
        }

        if (read < HeaderLength)
        {
            throw new ArtifactIntegrityException(ArtifactFailure.Truncated, $"The artifact ends inside its header ({read} of {HeaderLength} bytes).");
        }

        var keys = new ArtifactKeys(dataKey, ReadSalt(header));
        Span<byte> mac = stackalloc byte[MacLength];
        keys.ComputeHeaderMac(header.AsSpan(0, MacOffset), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, header.AsSpan(MacOffset, MacLength)))
        {
            keys.Dispose();
            throw new ArtifactIntegrityException(ArtifactFailure.HeaderAuthentication, "The artifact header failed authentication: the data key is wrong, or the header was altered.");
        }

        var chunkSize = ReadChunkSize(header);
        if (chunkSize is < 1 or > MaxChunkSize)
        {
            keys.Dispose();
            throw new ArtifactIntegrityException(ArtifactFailure.InvalidHeader, $"The artifact header gives a chunk size of {chunkSize} bytes, outside 1 to {MaxChunkSize}.");
        }

        return keys;
    }

    private static void CheckDataKey(ReadOnlyMemory<byte> dataKey)
    {
        if (dataKey.Length != DataKeySize)
        {
            throw new ArgumentException($"A data key is {DataKeySize} bytes; this one is {dataKey.Length}.", nameof(dataKey));
        }
    }
}
