using System.Security.Cryptography;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The ECDSA P-256 key that signs the audit ledger's head, kept as <c>audit-signing.pem</c> (PKCS#8, 0600) in the
/// data folder: a key of its own, not derived from <c>signing.key</c>, so that neither secret opens the other's
/// door. Its public half is written beside it as <c>audit-public-key.pem</c> and served at
/// <c>/api/v1/audit/public-key</c>, for verifying the ledger offline.
/// </summary>
public static class AuditSigningKey
{
    /// <summary>The private key's file name.</summary>
    public const string FileName = "audit-signing.pem";

    /// <summary>The public key's file name.</summary>
    public const string PublicFileName = "audit-public-key.pem";

    /// <summary>Loads the key from <paramref name="dataDirectory"/>, creating it on first start.</summary>
    public static ECDsa LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            SecretFileModes.EnsureOwnerOnly(path);
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                key.Dispose();
                throw new InvalidOperationException($"{path} does not hold an ECDSA P-256 key.");
            }
        }
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            OwnerOnlyFile.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        }

        WritePublicHalf(key, dataDirectory);
        return key;
    }

    /// <summary>Writes <paramref name="key"/>'s public half as <see cref="PublicFileName"/> in <paramref name="dataDirectory"/>.</summary>
    public static void WritePublicHalf(ECDsa key, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(key);
        File.WriteAllText(Path.Combine(dataDirectory, PublicFileName), key.ExportSubjectPublicKeyInfoPem());
    }
}
