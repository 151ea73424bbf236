using FactoryMesh.Storage;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The cluster's key-encryption key (<c>FactoryMesh:Cluster:KeyEncryptionKey</c>, 32 bytes base64, the same on every
/// silo). When set, the server's secrets (token and nonce key material, the audit signing key, the token key ring,
/// the tenants' KEKs) live sealed under it in the cluster's database, so a new silo joins with the connection string
/// and this one key; when absent, they are files in each silo's data folder, as on the embedded default.
/// </summary>
public static class ClusterKeyEncryptionKey
{
    /// <summary>The configuration key.</summary>
    public const string Setting = "FactoryMesh:Cluster:KeyEncryptionKey";

    /// <summary>The secrets of the cluster <paramref name="clusterId"/> in <paramref name="engine"/>'s database, or null when no key is configured.</summary>
    public static ClusterSecrets? OpenSecrets(IConfiguration configuration, StorageEngine engine, string connectionString, string clusterId) =>
        ConfiguredKey.Read(configuration, Setting) is { } key ? new ClusterSecrets(new ClusterSecretStore(engine, connectionString, clusterId), key) : null;
}
