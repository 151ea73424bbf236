using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>A tenant and its policy.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Policy">Sovereignty, TEE and objective policy.</param>
/// <param name="UpdatedAt">When the policy was last set.</param>
[GenerateSerializer, Immutable]
public sealed record TenantView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] TenantPolicy Policy,
    [property: Id(2)] DateTimeOffset UpdatedAt);
