namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// The operators' list of revoked device certificates (key <see cref="Key"/>). Revoking one untrusts exactly the
/// nodes whose current evidence used it: a device certificate's node is its pin (<see cref="IDevicePinGrain"/>); a CA's
/// (or a certificate named by serial) are found by asking every node, a rare operator action that may take a while.
/// </summary>
[Alias("FactoryMesh.ICertificateRevocationGrain")]
public interface ICertificateRevocationGrain : IGrainWithStringKey
{
    /// <summary>The key of the single list.</summary>
    public const string Key = "certificates";

    /// <summary>
    /// Revokes a certificate by SHA-256 thumbprint or serial number (hex, any case); every node whose current
    /// evidence used it becomes Untrusted before this returns. Returns those nodes.
    /// </summary>
    [Alias("Revoke")]
    Task<IReadOnlyList<string>> RevokeAsync(string certificate, string reason, string actor);

    /// <summary>
    /// Every revoked thumbprint and serial, upper case. Interleaves with a revocation in progress: that revocation
    /// waits on nodes, and a node appraising evidence meanwhile waits on this list.
    /// </summary>
    [Alias("GetRevoked"), Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<string>> GetRevokedAsync();
}
