namespace FactoryMesh.Server.Hosting;

/// <summary>
/// Endpoint metadata: the largest request body the route accepts, bytes. Routes without it accept
/// <see cref="Default"/>: most requests are a small JSON object.
/// </summary>
/// <param name="Bytes">The limit.</param>
public sealed record RequestBodyLimit(long Bytes)
{
    /// <summary>The limit of routes that state none: 64 KiB.</summary>
    public const long Default = 64 * 1024;

    /// <summary>Batches of up to 1,000 heartbeats or node registrations: 2 MiB.</summary>
    public const long Batch = 2 * 1024 * 1024;

    /// <summary>Attestation evidence with its certificate chain: 256 KiB.</summary>
    public const long Evidence = 256 * 1024;
}
