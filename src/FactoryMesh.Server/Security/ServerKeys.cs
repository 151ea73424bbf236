using System.Security.Cryptography;
using System.Text;

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

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes($"factorymesh/{purpose}"));
}
