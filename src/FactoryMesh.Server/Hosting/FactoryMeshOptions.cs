using FactoryMesh.Storage;

namespace FactoryMesh.Server.Hosting;

/// <summary>The server's own settings, section <c>FactoryMesh</c>.</summary>
public sealed class FactoryMeshOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh";

    /// <summary>
    /// Folder holding the SQLite file, the token signing key and <c>operator.token</c>
    /// (<c>FactoryMesh:DataDirectory</c>). Default <c>./data</c>, relative to the working directory.
    /// </summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Where grain state, reminders and membership live (<c>FactoryMesh:Storage</c>). Default <see cref="StorageEngine.Sqlite"/>.</summary>
    public StorageEngine Storage { get; set; } = StorageEngine.Sqlite;

    /// <summary>
    /// Whether the server installs or upgrades the database schema at start (<c>FactoryMesh:InstallSchema</c>). Default
    /// true. Off, it only checks the schema is at its version and refuses to start otherwise, for deployments where
    /// schema changes are a step of their own (<c>fmctl db init</c>, e.g. in an init container) and silos run with
    /// database rights that cannot change it.
    /// </summary>
    public bool InstallSchema { get; set; } = true;

    /// <summary>Orleans cluster and service id (<c>FactoryMesh:ClusterId</c>); silos sharing it form one cluster. Default <c>factorymesh</c>.</summary>
    public string ClusterId { get; set; } = "factorymesh";

    /// <summary>Silo-to-silo port (<c>FactoryMesh:Silo:Port</c>). Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// Orleans client gateway port (<c>FactoryMesh:Silo:GatewayPort</c>). Default 0: no gateway, since the server calls
    /// its grains in-process and a gateway lets its clients skip every API check. When opened, its clients must
    /// present the silo TLS certificate like any silo.
    /// </summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// The address other silos reach this one at, in cluster mode (<c>FactoryMesh:Silo:AdvertisedAddress</c>).
    /// Default: the address the host name resolves to.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Whether the silo runs in a Kubernetes pod (<c>FactoryMesh:Kubernetes:Enabled</c>, cluster mode only): Orleans'
    /// Kubernetes hosting then advertises the pod's IP (<c>POD_IP</c>), names the silo after the pod, and removes the
    /// membership rows of pods that are gone, through the Kubernetes API (the pod's service account must be allowed
    /// to get, list, watch and delete pods: <c>tools/deploy/kubernetes</c>).
    /// </summary>
    public KubernetesSettings Kubernetes { get; set; } = new();

    /// <summary>The data folder as a full path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);

    /// <summary>The embedded default's SQLite file.</summary>
    public string SqliteDatabasePath => Path.Combine(DataDirectoryFullPath, "factorymesh.db");

    /// <summary>The connection string of the configured engine: the SQLite file, or <c>ConnectionStrings:FactoryMesh</c>.</summary>
    public string StorageConnectionString(IConfiguration configuration) => Storage switch
    {
        StorageEngine.Sqlite => SiloStorageExtensions.SqliteConnectionString(SqliteDatabasePath),
        _ => configuration.GetConnectionString("FactoryMesh")
            ?? throw new InvalidOperationException("FactoryMesh:Storage is PostgreSql but ConnectionStrings:FactoryMesh is not set."),
    };
}
