using Orleans;

namespace FactoryMesh.Core.Trust;

/// <summary>A node's trust as last decided.</summary>
/// <param name="State">The trust state.</param>
/// <param name="VerifiedAt">When the attestation behind it was verified, if ever.</param>
/// <param name="ExpiresAt">When a Trusted node turns Stale, if Trusted.</param>
/// <param name="Reason">Why the node is in this state, in words.</param>
[GenerateSerializer, Immutable]
public sealed record TrustStatus(
    [property: Id(0)] TrustState State,
    [property: Id(1)] DateTimeOffset? VerifiedAt,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] string Reason)
{
    /// <summary>The trust of a node never attested.</summary>
    public static TrustStatus NeverAttested { get; } = new(TrustState.Unknown, null, null, "never attested");
}
