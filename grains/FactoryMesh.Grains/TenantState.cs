using FactoryMesh.Core.Tenants;

namespace FactoryMesh.Grains;

/// <summary>A tenant grain's durable state.</summary>
[GenerateSerializer]
public sealed class TenantState
{
    /// <summary>The tenant's policy; null until the tenant is created.</summary>
    [Id(0)] public TenantPolicy? Policy { get; set; }

    /// <summary>When the policy was last set.</summary>
    [Id(1)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The tenant's models (ids), defined through the API.</summary>
    [Id(2)] public SortedSet<string> Models { get; set; } = new(StringComparer.Ordinal);
}
