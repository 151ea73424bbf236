using System.Security.Cryptography;
using System.Text;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The server's keys, each derived with HKDF-SHA256 from the one secret in <c>signing.key</c> under its own
/// label, so that one file is all a silo needs and no key serves two purposes.
/// </summary>
/// <param name="Tokens">HMAC key of API bearer tokens.</param>
/// <param name="Nonces">HMAC key binding attestation nonces to nodes.</param>
/// <param name="Audit">HMAC key signing the audit ledger's head.</param>
public sealed record ServerKeys(byte[] Tokens, byte[] Nonces, byte[] Audit)
{
    /// <summary>Derives the keys from the data folder's secret, creating the secret on first start.</summary>
    public static ServerKeys Load(string dataDirectory)
    {
        var secret = SigningKeyStore.LoadOrCreate(dataDirectory);
        return new ServerKeys(Derive(secret, "tokens"), Derive(secret, "attestation-nonces"), Derive(secret, "audit-head"));
    }

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes($"factorymesh/{purpose}"));
}
