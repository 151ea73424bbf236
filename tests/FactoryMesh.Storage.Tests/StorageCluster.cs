using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace FactoryMesh.Storage.Tests;

/// <summary>
/// Real silos on one engine, shared by every test of a collection: the schema installed by
/// <see cref="SchemaInstaller"/>, grain state and reminders through Orleans' ADO.NET providers, and a
/// client that reaches the silos over TCP on the loopback address.
/// </summary>
/// <remarks>
/// The hosts are built by hand rather than with Orleans' TestingHost: its in-process cluster always
/// registers its own in-memory membership table after the test's configuration, which would silently
/// replace ADO.NET clustering, the very thing the PostgreSQL cluster is here to exercise.
/// </remarks>
public abstract class StorageCluster : IAsyncLifetime
{
    private readonly List<IHost> _silos = [];
    private IHost? _client;

    /// <summary>The engine under test.</summary>
    public abstract StorageEngine Engine { get; }

    /// <summary>Orleans' ClusterId, which the ADO.NET clustering queries receive as DeploymentId.</summary>
    public string ClusterId { get; } = "storage-tests-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Orleans' ServiceId, which partitions grain state and reminders.</summary>
    public string ServiceId { get; } = "storage-tests-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The database the silos use.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>A client connected through a gateway.</summary>
    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>()
        ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The services of the first silo (its grain storage, reminder table, ...).</summary>
    public IServiceProvider SiloServices => _silos[0].Services;

    /// <summary>How many silos to start.</summary>
    protected abstract int SiloCount { get; }

    /// <summary>Creates the empty database the cluster will use and returns its connection string.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    /// <summary>Membership for a silo listening on the given ports.</summary>
    protected abstract void ConfigureClustering(ISiloBuilder silo, int siloPort, int gatewayPort);

    /// <summary>How the client finds the gateways of the silos.</summary>
    protected abstract void ConfigureClustering(IClientBuilder client, IReadOnlyList<int> gatewayPorts);

    public async Task InitializeAsync()
    {
        try
        {
            ConnectionString = await CreateDatabaseAsync();
            await SchemaInstaller.InstallAsync(Engine, ConnectionString);

            var ports = FreeTcpPorts(2 * SiloCount);
            var gatewayPorts = Enumerable.Range(0, SiloCount).Select(i => ports[(2 * i) + 1]).ToList();

            // All silos start at once, so their joins race for the same membership version.
            var starting = Enumerable.Range(0, SiloCount).Select(i => StartSiloAsync($"silo{i}", ports[2 * i], ports[(2 * i) + 1])).ToList();
            try
            {
                await Task.WhenAll(starting);
            }
            finally
            {
                _silos.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            _client = await StartClientAsync(gatewayPorts);
        }
        catch
        {
            // xunit does not dispose a fixture that failed to start; the server and silos must not outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_client is not null)
            {
                await _client.StopAsync();
                _client.Dispose();
            }

            await Task.WhenAll(_silos.Select(s => s.StopAsync()));
        }
        finally
        {
            foreach (var silo in _silos)
            {
                silo.Dispose();
            }

            // Even after a failed shutdown: the database server must not outlive the run.
            await DisposeDatabaseAsync();
        }
    }

    /// <summary>Releases the database after the silos stopped.</summary>
    protected abstract Task DisposeDatabaseAsync();

    /// <summary>Runs a query against the cluster's database and returns the first column of the first row as a number.</summary>
    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = SchemaInstaller.OpenConnection(Engine, ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? -1 : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private async Task<IHost> StartSiloAsync(string name, int siloPort, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = name,
            EnvironmentName = Environments.Development,
            DisableDefaults = true,
        });
        var invariant = Engine.AdoNetInvariant();
        var connectionString = ConnectionString;
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = name);
            ConfigureClustering(silo, siloPort, gatewayPort);
            silo.AddAdoNetGrainStorage(TestStorage.Name, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
                options.Configure<Serializer>((o, serializer) =>
                {
                    o.Invariant = invariant;
                    o.ConnectionString = connectionString;
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                }));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = invariant;
                o.ConnectionString = connectionString;
            });
            silo.AddGroupCommitGrainStorage(TestStorage.GroupCommitName, Engine, connectionString, id => id.Key.ToString()!.Split('/')[0]);
        });

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task<IHost> StartClientAsync(IReadOnlyList<int> gatewayPorts)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "client",
            EnvironmentName = Environments.Development,
            DisableDefaults = true,
        });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            ConfigureClustering(client, gatewayPorts);
        });

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int[] FreeTcpPorts(int count)
    {
        // Hold every listener until all ports are known, so no port is handed out twice.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
