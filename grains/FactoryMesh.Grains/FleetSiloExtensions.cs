using FactoryMesh.Core.Attestation;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Placement;
using FactoryMesh.Core.Placement.Joint;
using Microsoft.Extensions.DependencyInjection;

namespace FactoryMesh.Grains;

/// <summary>What a silo needs to host the fleet grains, besides storage.</summary>
public static class FleetSiloExtensions
{
    /// <summary>
    /// Wakes every site at start-up, so nodes resume their liveness and trust deadlines with nobody calling; lets go of
    /// an activation whose storage failed (<see cref="StorageFailureDeactivation"/>).
    /// </summary>
    public static ISiloBuilder AddFleetGrains(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStartupTask(FleetResumeStartupTask.RunAsync);
        builder.AddIncomingGrainCallFilter<StorageFailureDeactivation>();
        // A database error must reach a caller on another silo as what it is (Orleans serializes exceptions only from
        // namespaces it is told about), or the API cannot answer it with a 503.
        builder.Services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
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

    /// <summary>Registers the placement solvers: one model at a time for the scheduler grain, many at once for the fleet planner.</summary>
    public static IServiceCollection AddFleetPlacement(this IServiceCollection services, PlacementSolver solver)
    {
        services.AddSingleton(solver);
        services.AddSingleton(new JointPlacementSolver(solver.Options));
        return services;
    }
}
