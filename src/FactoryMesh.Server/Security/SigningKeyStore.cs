using System.Security.Cryptography;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The HMAC-SHA256 key that signs and checks every API token, kept as <c>signing.key</c> in the data folder,
/// readable by its owner only. Created on first start from the OS's cryptographic random source.
/// </summary>
public static class SigningKeyStore
{
    /// <summary>Key length: 256 bits, as HS256 wants.</summary>
    public const int KeyBytes = 32;

    /// <summary>Loads the key from <paramref name="dataDirectory"/>, creating it (owner-only) when absent.</summary>
    public static byte[] LoadOrCreate(string dataDirectory) => LoadOrCreate(dataDirectory, "signing.key");

    /// <summary>Loads a 256-bit secret kept as base64 in <paramref name="fileName"/> of the data folder, creating it (owner-only) when absent.</summary>
    public static byte[] LoadOrCreate(string dataDirectory, string fileName)
    {
        var path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path))
        {
            SecretFileModes.EnsureOwnerOnly(path);
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (key.Length != KeyBytes)
            {
                throw new InvalidOperationException($"{path} does not hold a {KeyBytes}-byte key; remove it to have a new one made (every issued token then stops working).");
            }

            return key;
        }

        var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
        OwnerOnlyFile.WriteAllText(path, Convert.ToBase64String(fresh));
        return fresh;
    }
}
