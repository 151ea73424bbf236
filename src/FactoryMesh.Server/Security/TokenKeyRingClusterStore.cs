using System.Text;
using FactoryMesh.Storage;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The token key ring as the cluster secret <c>token-key-ring</c>, sealed under the cluster's key-encryption key: a
/// rotation through one silo reaches the others at their next refresh, and two rotations at once cannot lose a key
/// (the second writer finds the version moved and rotates again from what the first wrote).
/// </summary>
public sealed class TokenKeyRingClusterStore(ClusterSecrets secrets) : ITokenKeyRingStore
{
    private const string Name = "token-key-ring";

    // The ring is read on a request's thread when due for a refresh (token validation is synchronous); a bounded
    // wait keeps a slow database from holding that request for long — the ring read last stays in force meanwhile.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public TokenKeyRingSnapshot Load()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var secret = secrets.ReadAsync(Name, timeout.Token).GetAwaiter().GetResult();
        return secret is null ? new TokenKeyRingSnapshot(null, 0) : new TokenKeyRingSnapshot(Encoding.UTF8.GetString(secret.Value), secret.Version);
    }

    /// <inheritdoc />
    public bool TryStore(string json, long expectedVersion)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return secrets.TryWriteAsync(Name, expectedVersion, Encoding.UTF8.GetBytes(json), timeout.Token).GetAwaiter().GetResult();
    }
}
