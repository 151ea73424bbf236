namespace FactoryMesh.Grains;

/// <summary>A device certificate's durable pin.</summary>
[GenerateSerializer]
public sealed class DevicePinState
{
    /// <summary>The node the certificate is pinned to; null until its first passing attestation.</summary>
    [Id(0)] public string? NodeId { get; set; }

    /// <summary>When it was pinned.</summary>
    [Id(1)] public DateTimeOffset PinnedAt { get; set; }
}
