namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// One device certificate (key: its SHA-256 thumbprint, upper-case hex) and the node it is pinned to. A device key
/// lives in one machine's hardware, so the first node whose passing evidence it signed owns it for good: the same
/// key signing evidence for another node means the key left its device (or an agent lies about which node it is).
/// </summary>
[Alias("FactoryMesh.IDevicePinGrain")]
public interface IDevicePinGrain : IGrainWithStringKey
{
    /// <summary>
    /// Pins the certificate to <paramref name="nodeId"/> when it is pinned to no node yet, durably before returning;
    /// answers the node it is pinned to (<paramref name="nodeId"/> itself, or the earlier owner).
    /// </summary>
    [Alias("Pin")]
    Task<string> PinAsync(string nodeId);

    /// <summary>The node the certificate is pinned to, or null when it attested no node yet.</summary>
    [Alias("GetOwner"), Orleans.Concurrency.ReadOnly]
    Task<string?> GetOwnerAsync();
}
