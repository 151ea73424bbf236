using System.Net;
using FactoryMesh.Core.Placement;
using FactoryMesh.Grains;
using FactoryMesh.Server.Telemetry;
using FactoryMesh.Storage;
using Orleans.Configuration;

namespace FactoryMesh.Server.Hosting;

/// <summary>Hosts the Orleans silo in the server process, on the embedded default or on a PostgreSQL cluster.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Adds the silo: storage and clustering by <see cref="FactoryMeshOptions.Storage"/>, fleet options from configuration.</summary>
    public static WebApplicationBuilder AddFactoryMeshSilo(this WebApplicationBuilder builder, FactoryMeshOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var configuration = builder.Configuration;
        builder.Services.AddOptions<NodeLifecycleOptions>()
            .BindConfiguration("FactoryMesh:Heartbeat")
            .BindConfiguration("FactoryMesh:Placement")
            .Validate(o => IsValidLiveness(o), "FactoryMesh:Placement:GraceSeconds must be longer than 3 x FactoryMesh:Heartbeat:IntervalSeconds, and the interval positive.")
            .ValidateOnStart();

        builder.Services.AddOptions<PlacementOptions>()
            .BindConfiguration("FactoryMesh:Placement")
            .Validate(o => o.Grace > TimeSpan.Zero && o.MinRemainingFreshness >= TimeSpan.Zero, "FactoryMesh:Placement:GraceSeconds must be positive, MinRemainingFreshnessSeconds not negative.")
            .Validate(o => o.RebalanceInterval > TimeSpan.Zero && o.RebalanceInterval <= TimeSpan.FromDays(30), "FactoryMesh:Placement:RebalanceIntervalSeconds must be between 1 s and 30 days.")
            .Validate(o => o.MigrationCost >= 0 && o.MaxMovesPerMinute >= 0, "FactoryMesh:Placement:MigrationCost and MaxMovesPerMinute must not be negative.")
            .ValidateOnStart();
        builder.Services.AddFleetPlacement(new PlacementSolver());

        var connectionString = options.StorageConnectionString(configuration);
        var tls = configuration.GetSection(SiloTlsSettings.Section).Get<SiloTlsSettings>() ?? new SiloTlsSettings();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ClusterId;
            });
            if (options.Storage == StorageEngine.Sqlite)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ClusterId, clusterId: options.ClusterId);
            }
            else if (options.Kubernetes.Enabled)
            {
                // The pod's IP is advertised and listened on by Orleans' Kubernetes hosting; only the ports are ours.
                silo.UseKubernetesHosting();
                silo.Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = options.SiloPort;
                    o.GatewayPort = options.GatewayPort;
                });
            }
            else
            {
                // Set by hand rather than by ConfigureEndpoints, which listens for a gateway on any address even when the
                // gateway port is 0 (then on a random port): no gateway unless one is configured.
                var advertised = options.AdvertisedAddress is { } address ? IPAddress.Parse(address) : HostAddress();
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = advertised;
                    o.SiloPort = options.SiloPort;
                    o.GatewayPort = options.GatewayPort;
                    o.SiloListeningEndpoint = options.AdvertisedAddress is null ? new IPEndPoint(IPAddress.Any, options.SiloPort) : null;
                    o.GatewayListeningEndpoint = options.GatewayPort != 0 && options.AdvertisedAddress is null ? new IPEndPoint(IPAddress.Any, options.GatewayPort) : null;
                });
            }

            silo.UseSiloTransportSecurity(options, tls);
            silo.UseFactoryMeshStorage(options.Storage, connectionString, FleetStorage.Name, installSchema: false); // Program prepared it
            silo.AddGroupCommitGrainStorage(FleetStorage.Nodes, options.Storage, connectionString, FleetStorage.NodePartition);
            silo.AddFleetGrains();
            silo.AddOrleansDashboardIfEnabled(configuration);
        });
        return builder;
    }

    private static IPAddress HostAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("The host name resolves to no IPv4 address other silos could reach; set FactoryMesh:Silo:AdvertisedAddress.");

    private static bool IsValidLiveness(NodeLifecycleOptions options)
    {
        try
        {
            options.Liveness.EnsureValid();
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
