namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// The operators' list of revoked device certificates (key <see cref="Key"/>), and which nodes' current
/// evidence used which certificate, so that revoking one untrusts exactly those nodes at once.
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

    /// <summary>Every revoked thumbprint and serial, upper case.</summary>
    [Alias("GetRevoked")]
    Task<IReadOnlyList<string>> GetRevokedAsync();

    /// <summary>Records that <paramref name="nodeId"/>'s current evidence used <paramref name="certificates"/>.</summary>
    [Alias("RecordUse")]
    Task RecordUseAsync(string nodeId, IReadOnlyList<string> certificates);
}
