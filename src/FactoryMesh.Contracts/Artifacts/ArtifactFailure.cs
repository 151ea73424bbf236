namespace FactoryMesh.Contracts.Artifacts;

/// <summary>
/// Which integrity check an encrypted artifact failed. A node acts on the kind: a truncated download is worth
/// fetching again, a failed authentication means the artifact or its key is wrong and retrying will not help.
/// </summary>
public enum ArtifactFailure
{
    /// <summary>Not said (an exception built by a general-purpose constructor).</summary>
    Unspecified = 0,

    /// <summary>The stream does not start with the <c>FMA1</c> magic: not an encrypted artifact at all.</summary>
    NotAnArtifact,

    /// <summary>The header names a format version this code does not read.</summary>
    UnsupportedVersion,

    /// <summary>The header's MAC does not verify: the wrong data key, or the header was altered.</summary>
    HeaderAuthentication,

    /// <summary>The authenticated header carries values no encoder writes (a chunk size out of range).</summary>
    InvalidHeader,

    /// <summary>A chunk's tag does not verify: the chunk was altered, moved, or the artifact was appended to or cut inside a chunk.</summary>
    ChunkAuthentication,

    /// <summary>The stream ends before the header or before the final chunk: the artifact was cut short.</summary>
    Truncated,
}
