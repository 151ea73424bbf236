namespace FactoryMesh.Contracts.Http;

/// <summary>The sizes the API accepts, which clients cut their requests to.</summary>
public static class ApiLimits
{
    /// <summary>The most heartbeats one batch may hold.</summary>
    public const int MaxHeartbeatBatch = 1000;

    /// <summary>The most nodes one registration batch may hold.</summary>
    public const int MaxRegistrationBatch = 1000;

    /// <summary>
    /// The largest evidence accepted, characters: an NVIDIA bundle for eight GPUs and four switches with a TDX token
    /// beside it stays well within it, and so within the attestation route's 256 KiB body limit.
    /// </summary>
    public const int MaxEvidenceLength = 192 * 1024;
}
