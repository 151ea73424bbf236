using System.Security.Cryptography;
using FactoryMesh.Core.Keys;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Core.Tests.Keys;

public sealed class ArtifactCipherTests
{
    [Fact]
    public async Task A_multi_chunk_file_with_a_partial_last_chunk_round_trips_and_its_digests_match()
    {
        var artifact = await SealedArtifact.CreateAsync(3 * 1000 + 357, chunkSize: 1000);
        var expected = Convert.ToHexStringLower(SHA256.HashData(artifact.Plaintext));

        using var output = new MemoryStream();
        var digest = await artifact.DecryptAsync(output: output);

        Assert.Equal(expected, artifact.Result.PlaintextSha256);
        Assert.Equal(artifact.Plaintext.Length, artifact.Result.PlaintextLength);
        Assert.Equal(expected, digest);
        Assert.Equal(artifact.Plaintext, output.ToArray());
        Assert.Equal(SealedArtifact.HeaderLength + 3 * (1000 + 16) + 357 + 16, artifact.Bytes.Length);
    }

    [Fact]
    public async Task An_empty_file_round_trips_as_a_header_and_one_empty_final_chunk()
    {
        var artifact = await SealedArtifact.CreateAsync(0, chunkSize: 1000);

        using var output = new MemoryStream();
        var digest = await artifact.DecryptAsync(output: output);

        Assert.Equal(SealedArtifact.HeaderLength + 16, artifact.Bytes.Length);
        Assert.Equal(0, artifact.Result.PlaintextLength);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest);
        Assert.Equal(digest, artifact.Result.PlaintextSha256);
        Assert.Empty(output.ToArray());
    }

    [Fact]
    public async Task A_file_of_whole_chunks_ends_with_an_empty_final_chunk()
    {
        var artifact = await SealedArtifact.CreateAsync(2000, chunkSize: 1000);

        using var output = new MemoryStream();
        await artifact.DecryptAsync(output: output);

        Assert.Equal(SealedArtifact.HeaderLength + 2 * (1000 + 16) + 16, artifact.Bytes.Length);
        Assert.Equal(artifact.Plaintext, output.ToArray());
    }

    [Fact]
    public async Task The_default_chunk_size_round_trips_a_file_of_several_chunks()
    {
        var plaintext = RandomNumberGenerator.GetBytes(2 * ArtifactCipher.DefaultChunkSize + 12345);
        var key = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        using var sealedStream = new MemoryStream();
        var result = await ArtifactCipher.EncryptAsync(new MemoryStream(plaintext), sealedStream, key);
        sealedStream.Position = 0;

        using var output = new MemoryStream();
        var digest = await ArtifactCipher.DecryptAsync(sealedStream, output, key);

        Assert.Equal(result.PlaintextSha256, digest);
        Assert.Equal(plaintext, output.ToArray());
    }

    [Fact]
    public async Task Slow_streams_that_return_a_few_bytes_per_read_and_write_late_still_round_trip()
    {
        var plaintext = RandomNumberGenerator.GetBytes(5 * 256 + 100);
        var key = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        using var sealedBytes = new MemoryStream();
        var result = await ArtifactCipher.EncryptAsync(new SlowStream(new MemoryStream(plaintext), maxRead: 7), new SlowStream(sealedBytes), key, chunkSize: 256);

        using var output = new MemoryStream();
        var digest = await ArtifactCipher.DecryptAsync(new SlowStream(new MemoryStream(sealedBytes.ToArray()), maxRead: 7), new SlowStream(output), key);

        Assert.Equal(result.PlaintextSha256, digest);
        Assert.Equal(plaintext, output.ToArray());
    }

    [Fact]
    public async Task A_failing_source_stream_surfaces_its_own_error()
    {
        var key = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);

        await Assert.ThrowsAsync<IOException>(() => ArtifactCipher.EncryptAsync(new FailingStream(failAfter: 3000), Stream.Null, key, chunkSize: 1000));
    }

    [Fact]
    public async Task The_same_file_under_the_same_key_encrypts_differently_each_time()
    {
        var key = RandomNumberGenerator.GetBytes(ArtifactCipher.DataKeySize);
        var plaintext = RandomNumberGenerator.GetBytes(3000);
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        await ArtifactCipher.EncryptAsync(new MemoryStream(plaintext), first, key, chunkSize: 1000);
        await ArtifactCipher.EncryptAsync(new MemoryStream(plaintext), second, key, chunkSize: 1000);

        // Same header fields up to the salt; a fresh salt gives fresh chunk keys, so no chunk matches.
        Assert.Equal(first.ToArray()[..9], second.ToArray()[..9]);
        Assert.NotEqual(first.ToArray()[9..41], second.ToArray()[9..41]);
        Assert.NotEqual(first.ToArray()[SealedArtifact.HeaderLength..], second.ToArray()[SealedArtifact.HeaderLength..]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public async Task Keys_that_are_not_32_bytes_are_refused(int length)
    {
        var key = new byte[length];

        await Assert.ThrowsAsync<ArgumentException>(() => ArtifactCipher.EncryptAsync(new MemoryStream(), Stream.Null, key));
        await Assert.ThrowsAsync<ArgumentException>(() => ArtifactCipher.DecryptAsync(new MemoryStream(), Stream.Null, key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ArtifactCipher.MaxChunkSize + 1)]
    public async Task Chunk_sizes_out_of_range_are_refused(int chunkSize)
    {
        var key = new byte[ArtifactCipher.DataKeySize];

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ArtifactCipher.EncryptAsync(new MemoryStream(), Stream.Null, key, chunkSize));
    }
}
