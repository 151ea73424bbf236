namespace FactoryMesh.Server.Security;

/// <summary>
/// The key that seals the embedded key vault (<c>key-vault.json</c>). From configuration
/// (<c>FactoryMesh:KeyVault:MasterKey</c>, 32 bytes base64, e.g. from an environment variable or a secret store), which
/// keeps it off the disk that holds the vault; without it, from <c>vault-master.key</c> in the data folder (0600, made
/// on first start), so the embedded default still runs from one folder and a copy of the vault file alone opens nothing.
/// </summary>
public static class VaultMasterKey
{
    /// <summary>The configuration key.</summary>
    public const string Setting = "FactoryMesh:KeyVault:MasterKey";

    /// <summary>The file used when the setting is absent.</summary>
    public const string FileName = "vault-master.key";

    /// <summary>The master key: configured, or the data folder's own.</summary>
    public static byte[] Load(IConfiguration configuration, string dataDirectory) =>
        ConfiguredKey.Read(configuration, Setting) ?? SigningKeyStore.LoadOrCreate(dataDirectory, FileName);
}
