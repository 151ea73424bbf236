using System.Security.Cryptography;
using FactoryMesh.Core.Keys;
using FactoryMesh.Contracts.Artifacts;

namespace FactoryMesh.Core.Tests.Keys;

public sealed class ArtifactTamperTests
{
    // Three full chunks and a partial final one.
    private const int ChunkSize = 1000;
    private const int Length = 3 * ChunkSize + 357;

    [Fact]
    public async Task A_flipped_bit_in_a_chunk_fails_that_chunk_by_its_index()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync(artifact.WithBitFlipped(artifact.ChunkOffset(2) + 500, bit: 3), ArtifactFailure.ChunkAuthentication);

        Assert.Equal(2, e.ChunkIndex);
        Assert.StartsWith("Chunk 2 failed authentication", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flipped_bit_in_a_tag_fails_that_chunk()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync(artifact.WithBitFlipped(artifact.ChunkOffset(1) + ChunkSize + 15, bit: 7), ArtifactFailure.ChunkAuthentication);

        Assert.Equal(1, e.ChunkIndex);
    }

    [Fact]
    public async Task A_failed_chunk_writes_nothing_and_earlier_chunks_are_all_that_reached_the_output()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);
        using var output = new MemoryStream();

        await artifact.AssertFailsAsync(artifact.WithBitFlipped(artifact.ChunkOffset(2)), ArtifactFailure.ChunkAuthentication, output: output);

        Assert.Equal(artifact.Plaintext[..(2 * ChunkSize)], output.ToArray());
    }

    [Theory]
    [InlineData(5)] // chunk size
    [InlineData(8)]
    [InlineData(9)] // salt
    [InlineData(40)]
    [InlineData(41)] // MAC
    [InlineData(72)]
    public async Task A_flipped_bit_in_the_header_fails_its_authentication(int offset)
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync(artifact.WithBitFlipped(offset), ArtifactFailure.HeaderAuthentication);

        Assert.Null(e.ChunkIndex);
        Assert.Contains("header failed authentication", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flipped_bit_in_the_magic_or_version_is_named_as_such()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        await artifact.AssertFailsAsync(artifact.WithBitFlipped(0), ArtifactFailure.NotAnArtifact);
        var e = await artifact.AssertFailsAsync(artifact.WithBitFlipped(4, bit: 1), ArtifactFailure.UnsupportedVersion);
        Assert.Contains("version 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flipped_bit_at_any_offset_of_the_artifact_fails()
    {
        var artifact = await SealedArtifact.CreateAsync(3 * 64 + 20, chunkSize: 64);

        for (var offset = 0; offset < artifact.Bytes.Length; offset++)
        {
            var tampered = artifact.WithBitFlipped(offset, bit: offset % 8);
            await Assert.ThrowsAsync<ArtifactIntegrityException>(() => artifact.DecryptAsync(tampered));
        }
    }

    [Fact]
    public async Task Dropping_the_final_chunk_fails_as_truncated()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync(artifact.Bytes[..artifact.ChunkOffset(3)], ArtifactFailure.Truncated);

        Assert.Equal(3, e.ChunkIndex);
        Assert.Contains("ends before its final chunk", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropping_several_trailing_chunks_fails_as_truncated()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync(artifact.Bytes[..artifact.ChunkOffset(1)], ArtifactFailure.Truncated);

        Assert.Equal(1, e.ChunkIndex);
    }

    [Fact]
    public async Task Dropping_the_empty_final_chunk_of_a_file_of_whole_chunks_fails_as_truncated()
    {
        var artifact = await SealedArtifact.CreateAsync(2 * ChunkSize, ChunkSize);

        await artifact.AssertFailsAsync(artifact.Bytes[..^SealedArtifact.TagLength], ArtifactFailure.Truncated);
    }

    [Fact]
    public async Task Cutting_the_stream_inside_a_chunk_fails_that_chunk_read_as_the_final_one()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync(artifact.Bytes[..(artifact.ChunkOffset(1) + 600)], ArtifactFailure.ChunkAuthentication);

        Assert.Equal(1, e.ChunkIndex);
        Assert.Contains("as the final chunk", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cutting_the_stream_within_a_tags_length_of_a_chunk_start_fails_as_truncated()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync(artifact.Bytes[..(artifact.ChunkOffset(2) + 5)], ArtifactFailure.Truncated);

        Assert.Contains("chunk 2 is cut short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cutting_the_stream_inside_the_header_fails_as_truncated()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        await artifact.AssertFailsAsync(artifact.Bytes[..40], ArtifactFailure.Truncated);
        await artifact.AssertFailsAsync([], ArtifactFailure.Truncated);
    }

    [Fact]
    public async Task Swapped_chunks_fail_at_the_first_one_out_of_place()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);
        var swapped = artifact.Bytes.ToArray();
        artifact.Chunk(2).CopyTo(swapped, artifact.ChunkOffset(1));
        artifact.Chunk(1).CopyTo(swapped, artifact.ChunkOffset(2));

        var e = await artifact.AssertFailsAsync(swapped, ArtifactFailure.ChunkAuthentication);

        Assert.Equal(1, e.ChunkIndex);
    }

    [Fact]
    public async Task A_chunk_appended_after_the_final_one_fails()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);

        var e = await artifact.AssertFailsAsync([.. artifact.Bytes, .. artifact.Chunk(1)], ArtifactFailure.ChunkAuthentication);

        Assert.Equal(3, e.ChunkIndex);
        await artifact.AssertFailsAsync([.. artifact.Bytes, 0], ArtifactFailure.ChunkAuthentication);
    }

    [Fact]
    public async Task A_chunk_spliced_in_from_another_artifact_under_the_same_key_fails()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);
        var other = await SealedArtifact.CreateAsync(Length, ChunkSize, artifact.Key);
        var spliced = artifact.Bytes.ToArray();
        other.Chunk(1).CopyTo(spliced, artifact.ChunkOffset(1));

        var e = await artifact.AssertFailsAsync(spliced, ArtifactFailure.ChunkAuthentication);

        Assert.Equal(1, e.ChunkIndex);
    }

    [Fact]
    public async Task The_wrong_key_fails_at_the_header_before_any_plaintext_is_written()
    {
        var artifact = await SealedArtifact.CreateAsync(Length, ChunkSize);
        using var output = new MemoryStream();

        var e = await artifact.AssertFailsAsync(artifact.Bytes, ArtifactFailure.HeaderAuthentication, RandomNumberGenerator.GetBytes(32), output);

        Assert.Contains("data key is wrong", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task A_stream_that_is_not_an_artifact_is_named_as_such()
    {
        var artifact = await SealedArtifact.CreateAsync(0, ChunkSize);

        await artifact.AssertFailsAsync(RandomNumberGenerator.GetBytes(200).Prepend((byte)'{').ToArray(), ArtifactFailure.NotAnArtifact);
    }
}
