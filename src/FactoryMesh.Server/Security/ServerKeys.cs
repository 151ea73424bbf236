using System.Security.Cryptography;
using System.Text;
using FactoryMesh.Storage;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The server's keys. Token and nonce keys are derived with HKDF-SHA256 from the secret in <c>signing.key</c>, each
/// under its own label, so no key serves two purposes; the audit head is signed with an asymmetric key of its own
/// (<see cref="AuditSigningKey"/>), so the ledger can be verified by anyone holding only the public key.
/// </summary>
/// <param name="Tokens">HMAC key of API bearer tokens.</param>
/// <param name="Nonces">HMAC key binding attestation nonces to nodes.</param>
/// <param name="Audit">ECDSA P-256 key signing the audit ledger's head.</param>
public sealed record ServerKeys(byte[] Tokens, byte[] Nonces, ECDsa Audit)
{
    /// <summary>Derives the keys from the data folder's secret, creating the secret on first start.</summary>
    public static ServerKeys Load(string dataDirectory)
    {
        var secret = SigningKeyStore.LoadOrCreate(dataDirectory);
        return new ServerKeys(Derive(secret, "tokens"), Derive(secret, "attestation-nonces"), AuditSigningKey.LoadOrCreate(dataDirectory));
    }

    /// <summary>
    /// The same keys from the cluster's shared secrets: the first silo creates the secret and the audit key, every
    /// other silo reads them; the audit key's public half is still written to the data folder for offline verification.
    /// </summary>
    public static async Task<ServerKeys> LoadAsync(ClusterSecrets secrets, string dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var secret = await secrets.GetOrCreateAsync("signing-secret", () => RandomNumberGenerator.GetBytes(SigningKeyStore.KeyBytes), cancellationToken);
        var auditPkcs8 = await secrets.GetOrCreateAsync("audit-signing-key", NewAuditKey, cancellationToken);
        var audit = ECDsa.Create();
        audit.ImportPkcs8PrivateKey(auditPkcs8, out _);
        CryptographicOperations.ZeroMemory(auditPkcs8);
        AuditSigningKey.WritePublicHalf(audit, dataDirectory);
        var keys = new ServerKeys(Derive(secret, "tokens"), Derive(secret, "attestation-nonces"), audit);
        CryptographicOperations.ZeroMemory(secret);
        return keys;
    }

    private static byte[] NewAuditKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKey();
    }

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes($"factorymesh/{purpose}"));
}
