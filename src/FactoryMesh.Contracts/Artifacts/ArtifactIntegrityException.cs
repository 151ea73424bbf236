using System.Security.Cryptography;

namespace FactoryMesh.Contracts.Artifacts;

/// <summary>
/// An encrypted artifact that did not decrypt: the message says which check failed and where. Whatever plaintext
/// was written before the failure must be discarded, since the artifact as a whole is not authentic.
/// </summary>
public sealed class ArtifactIntegrityException : CryptographicException
{
    /// <summary>Creates the exception.</summary>
    public ArtifactIntegrityException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ArtifactIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ArtifactIntegrityException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception for <paramref name="failure"/>, at <paramref name="chunkIndex"/> when a chunk is to blame.</summary>
    public ArtifactIntegrityException(ArtifactFailure failure, string message, long? chunkIndex = null)
        : base(message)
    {
        Failure = failure;
        ChunkIndex = chunkIndex;
    }

    /// <summary>Which check failed.</summary>
    public ArtifactFailure Failure { get; }

    /// <summary>The zero-based index of the chunk that failed, or null when the header or the stream's end is to blame.</summary>
    public long? ChunkIndex { get; }
}
