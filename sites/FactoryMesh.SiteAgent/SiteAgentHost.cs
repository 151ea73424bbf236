using FactoryMesh.SiteAgent.Attestation;
using FactoryMesh.SiteAgent.Configuration;
using FactoryMesh.SiteAgent.ControlPlane;
using FactoryMesh.SiteAgent.Diagnostics;
using FactoryMesh.SiteAgent.Faults;
using FactoryMesh.SiteAgent.Hardware;
using FactoryMesh.SiteAgent.Heartbeats;
using FactoryMesh.SiteAgent.Nodes;
using FactoryMesh.SiteAgent.Registration;
using FactoryMesh.SiteAgent.Replicas;
using FactoryMesh.SiteAgent.Simulation;
using FactoryMesh.SiteAgent.Sites;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FactoryMesh.Contracts.Attestation;

namespace FactoryMesh.SiteAgent;

/// <summary>
/// Composes the agent as a Generic Host. Configuration comes from environment variables (<c>FactoryMesh__Agent__…</c>)
/// and the command line only: no appsettings file is read from the working folder, so an agent started beside another
/// program's settings never picks them up.
/// </summary>
internal static class SiteAgentHost
{
    /// <summary>A host builder for the agent with <paramref name="args"/>; tests build and start it in-process.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
            ["Logging:LogLevel:Polly"] = "Error", // retries are the agent's business; it reports outages itself, once
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args, AgentCommandLine.SwitchMappings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
            console.UseUtcTimestamp = true;
        });

        AddOptions(builder.Services, builder.Configuration);
        AddServices(builder.Services);
        return builder;
    }

    private static void AddOptions(IServiceCollection services, ConfigurationManager configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddOptions<HeartbeatOptions>().Bind(configuration.GetSection(HeartbeatOptions.Section))
            .Validate(o => o.IntervalSeconds is > 0 and <= 3600, $"{HeartbeatOptions.Section}:IntervalSeconds must be more than 0 and at most 3600.")
            .ValidateOnStart();
        services.AddOptions<AttestationTimingOptions>().Bind(configuration.GetSection(AttestationTimingOptions.Section))
            .Validate(o => o.RefreshFraction is > 0 and < 1, $"{AttestationTimingOptions.Section}:RefreshFraction must be between 0 and 1.")
            .Validate(o => o.Jitter is >= 0 and < 0.5, $"{AttestationTimingOptions.Section}:Jitter must be at least 0 and below 0.5.")
            .Validate(o => o.MinimumDelaySeconds > 0 && o.MaximumRetrySeconds >= o.MinimumDelaySeconds, $"{AttestationTimingOptions.Section}:MinimumDelaySeconds must be positive and at most MaximumRetrySeconds.")
            .Validate(o => o.MaxConcurrent >= 1, $"{AttestationTimingOptions.Section}:MaxConcurrent must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<HardwareOptions>().Bind(configuration.GetSection(HardwareOptions.Section));
        services.AddOptions<EvidenceCommandOptions>().Bind(configuration.GetSection(EvidenceCommandOptions.Section))
            .Validate(o => o.TimeoutSeconds > 0, $"{EvidenceCommandOptions.Section}:TimeoutSeconds must be positive.")
            .Validate(o => o.Format is EvidenceFormats.EatJwt or EvidenceFormats.NvidiaEat or EvidenceFormats.EarJwt or EvidenceFormats.ItaJwt or EvidenceFormats.Composite,
                $"{EvidenceCommandOptions.Section}:Format must be eat-jwt, nvidia-eat, ear-jwt, ita-jwt or composite.");
        services.AddOptions<TeeKeyCommandOptions>().Bind(configuration.GetSection(TeeKeyCommandOptions.Section))
            .Validate(o => o.TimeoutSeconds > 0, $"{TeeKeyCommandOptions.Section}:TimeoutSeconds must be positive.");
    }

    private static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentCounters>();
        services.AddSingleton<FaultState>();
        services.AddSingleton<NodeFleet>();
        services.AddSingleton<AttestationSchedule>();
        services.AddSingleton<ReplicaManager>();
        services.AddSingleton<LatestHeartbeats>();
        services.AddSingleton(provider => SiteFile.Load(provider.GetRequiredService<IOptions<AgentOptions>>().Value.SiteFile!));
        services.AddSingleton<NvidiaSmi>();
        services.AddSingleton<CommandEvidenceSource>();
        services.AddSingleton<SimulatedFleetDiscovery>();
        services.AddSingleton<HardwareNodeDiscovery>();
        services.AddSingleton<INodeDiscovery>(provider => provider.GetRequiredService<IOptions<AgentOptions>>().Value.IsSimulated
            ? provider.GetRequiredService<SimulatedFleetDiscovery>()
            : provider.GetRequiredService<HardwareNodeDiscovery>());
        services.AddControlPlaneClient();

        // Started in this order: faults read, nodes found, then the loops that use them.
        services.AddHostedService<FaultFileWatcher>();
        services.AddSingleton<AgentTokenRefresher>();
        services.AddHostedService(provider => provider.GetRequiredService<AgentTokenRefresher>());
        services.AddHostedService<NodeDiscoveryService>();
        services.AddHostedService<RegistrationService>();
        services.AddHostedService<HeartbeatService>();
        services.AddHostedService<AttestationService>();
        services.AddHostedService<ReplicaService>();
    }
}
