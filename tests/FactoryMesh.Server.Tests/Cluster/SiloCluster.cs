using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FactoryMesh.ServerHost;
using FactoryMesh.SimulatedTee;

namespace FactoryMesh.Server.Tests.Cluster;

/// <summary>
/// Three server processes forming one Orleans cluster over a private PostgreSQL, as README's cluster steps set it up:
/// mutual TLS between silos from a private CA, and the cluster's secrets in its database under one key-encryption key,
/// so no silo's data folder holds a copy of another's. Shared by every cluster test (they run one at a time and each
/// leaves all three silos running); a test may kill, stop and restart silos and suspend the database.
/// </summary>
public sealed class SiloCluster : IAsyncLifetime
{
    /// <summary>How many silos.</summary>
    public const int Size = 3;

    /// <summary>How many nodes the drills run: 300 in CI, <c>FACTORYMESH_CLUSTER_NODES</c> for the long variants.</summary>
    public static readonly int DrillNodes =
        int.TryParse(Environment.GetEnvironmentVariable("FACTORYMESH_CLUSTER_NODES"), System.Globalization.CultureInfo.InvariantCulture, out var nodes) ? nodes : 300;

    /// <summary>
    /// How long an appraisal keeps a node Trusted, short enough for a test to watch trust expire: 30 s, or
    /// <c>FACTORYMESH_CLUSTER_MAX_AGE</c> for the long variants, whose fleets take longer to attest.
    /// </summary>
    public static readonly int MaxAgeSeconds =
        int.TryParse(Environment.GetEnvironmentVariable("FACTORYMESH_CLUSTER_MAX_AGE"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : 30;

    private readonly string _root = Directory.CreateTempSubdirectory("factorymesh-silos-").FullName;
    private readonly ServerProcess?[] _silos = new ServerProcess?[Size];
    private readonly ServerPorts[] _ports = Enumerable.Range(0, Size).Select(_ => ServerPorts.Free()).ToArray();
    private readonly string _keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private string[] _sharedArguments = [];

    /// <summary>The cluster's database server.</summary>
    public PostgreSqlServer Database { get; private set; } = null!;

    /// <summary>The cluster's database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The simulated GPU vendor whose devices the silos trust.</summary>
    public SimulatedVendorCa Vendor { get; } = SimulatedVendorCa.Create("Cluster Vendor", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

    /// <summary>An operator token (issued by silo 0, valid on every silo since they share the signing secret).</summary>
    public string OperatorToken { get; private set; } = string.Empty;

    /// <summary>Silo <paramref name="index"/>'s process; throws while it is down.</summary>
    public ServerProcess Silo(int index) => _silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.");

    /// <summary>True while silo <paramref name="index"/> runs.</summary>
    public bool IsRunning(int index) => _silos[index] is not null;

    /// <summary>An operator's client for silo <paramref name="index"/>.</summary>
    public HttpClient Client(int index) => Silo(index).Client(OperatorToken);

    /// <summary>Where silo <paramref name="index"/> listens, running or not.</summary>
    public Uri Address(int index) => new($"http://127.0.0.1:{_ports[index].Http}");

    public async Task InitializeAsync()
    {
        try
        {
            Database = await PostgreSqlServer.StartAsync();
            ConnectionString = await Database.CreateDatabaseAsync("silo_cluster");
            await MakeDurableAsync();
            await WriteSharedFilesAsync();
            for (var i = 0; i < Size; i++)
            {
                await StartAsync(i);
            }

            OperatorToken = Silo(0).OperatorToken;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts silo <paramref name="index"/> on its data folder and ports (again, after a kill or a stop).</summary>
    public async Task StartAsync(int index)
    {
        var data = Path.Combine(_root, $"silo-{index}");
        _silos[index] = await ServerProcess.StartAsync(data, _ports[index], [.. _sharedArguments, $"--FactoryMesh:Silo:Tls:CertificatePath={Path.Combine(_root, $"silo-{index}.pfx")}"]);
    }

    /// <summary>Kills silo <paramref name="index"/> with SIGKILL.</summary>
    public async Task KillAsync(int index)
    {
        await Silo(index).KillAsync();
        await Silo(index).DisposeAsync();
        _silos[index] = null;
    }

    /// <summary>Stops silo <paramref name="index"/> with SIGTERM and waits for it to leave.</summary>
    public async Task StopAsync(int index)
    {
        await Silo(index).StopAsync();
        await Silo(index).DisposeAsync();
        _silos[index] = null;
    }

    /// <summary>Starts every silo that is down, so the next test finds the whole cluster.</summary>
    public async Task EnsureAllRunningAsync()
    {
        for (var i = 0; i < Size; i++)
        {
            if (!IsRunning(i))
            {
                await StartAsync(i);
            }
        }
    }

    /// <summary>
    /// The running silo that holds the audit ledger's activation, read from what each silo logged when the ledger
    /// came or went; null when that is not one silo (not activated yet, or the logs disagree).
    /// </summary>
    public int? AuditLedgerSilo()
    {
        var holders = Enumerable.Range(0, Size).Where(i => IsRunning(i) && HoldsAuditLedger(Silo(i).Output)).ToList();
        return holders.Count == 1 ? holders[0] : null;
    }

    private static bool HoldsAuditLedger(string output)
    {
        var activated = output.LastIndexOf("The audit ledger is active on this silo", StringComparison.Ordinal);
        return activated >= 0 && activated > output.LastIndexOf("The audit ledger left this silo", StringComparison.Ordinal);
    }

    /// <summary>Verifies the audit ledger through silo <paramref name="index"/>.</summary>
    public async Task<JsonElement> VerifyAuditAsync(int index)
    {
        using var client = Client(index);
        return await client.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
    }

    /// <summary>Everything the silos printed, for a failing assertion's message.</summary>
    public string Output => string.Join("\n", _silos.Where(s => s is not null).Select((s, i) => $"--- silo {i} ---\n{s!.Output}"));

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos.Where(s => s is not null))
        {
            await silo!.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        Vendor.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    // The test server trades durability for speed (synchronous_commit off); this database must keep every acknowledged
    // commit through an immediate stop, or the outage test would find "lost" writes that PostgreSQL was allowed to drop.
    private async Task MakeDurableAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("ALTER DATABASE silo_cluster SET synchronous_commit = on", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WriteSharedFilesAsync()
    {
        var rootPem = Path.Combine(_root, "vendor-root.pem");
        var policy = Path.Combine(_root, "appraisal-policy.json");
        await File.WriteAllTextAsync(rootPem, Vendor.RootCertificatePem);
        await File.WriteAllTextAsync(policy, SimulatedFleet.ReferenceValuesJson);
        using var authority = ClusterCertificate.CreateAuthority("silo-cluster-ca");
        var caPath = Path.Combine(_root, "cluster-ca.pem");
        await File.WriteAllTextAsync(caPath, authority.ExportCertificatePem());
        for (var i = 0; i < Size; i++)
        {
            using var certificate = ClusterCertificate.CreateSilo($"silo-{i}", authority);
            ClusterCertificate.WritePfx(certificate, Path.Combine(_root, $"silo-{i}.pfx"));
        }

        _sharedArguments =
        [
            "--FactoryMesh:Storage=PostgreSql",
            $"--ConnectionStrings:FactoryMesh={ConnectionString}",
            "--FactoryMesh:ClusterId=silo-cluster",
            "--FactoryMesh:Silo:AdvertisedAddress=127.0.0.1",
            $"--FactoryMesh:Silo:Tls:CaPath={caPath}",
            $"--FactoryMesh:Cluster:KeyEncryptionKey={_keyEncryptionKey}",
            $"--FactoryMesh:Attestation:SimulatedTee:RootCertificatePaths:0={rootPem}",
            $"--FactoryMesh:Attestation:AppraisalPolicyPath={policy}",
            $"--FactoryMesh:Attestation:MaxAgeSeconds={MaxAgeSeconds}",
            "--FactoryMesh:Heartbeat:IntervalSeconds=2",
            "--FactoryMesh:Placement:GraceSeconds=60",
        ];
    }
}

/// <summary>The cluster tests: alone, one after another, since they kill silos and stop the database under load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloClusterCollection : ICollectionFixture<SiloCluster>
{
    public const string Name = "silo cluster";
}
