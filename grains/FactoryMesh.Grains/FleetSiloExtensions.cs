using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Placement;
using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.Grains;

/// <summary>What a silo needs to host the fleet grains, besides storage.</summary>
public static class FleetSiloExtensions
{
    /// <summary>Wakes every site at start-up, so nodes resume their liveness and trust deadlines with nobody calling.</summary>
    public static ISiloBuilder AddFleetGrains(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStartupTask(FleetResumeStartupTask.RunAsync);
        return builder;
    }

    /// <summary>
    /// Registers the attestation services node grains judge evidence with, and the audit ledger's chain and store.
    /// </summary>
    public static IServiceCollection AddFleetAttestation(this IServiceCollection services, Attestor attestor, NonceCodec nonces, AuditChain auditChain, IAuditStore auditStore, IAuditCheckpoint auditCheckpoint)
    {
        services.AddSingleton(auditCheckpoint);
        services.AddSingleton(attestor);
        services.AddSingleton(nonces);
        services.AddSingleton(auditChain);
        services.AddSingleton(auditStore);
        return services;
    }

    /// <summary>Registers the placement solver the scheduler grain uses.</summary>
    public static IServiceCollection AddFleetPlacement(this IServiceCollection services, PlacementSolver solver)
    {
        services.AddSingleton(solver);
        return services;
    }
}
