using FactoryMesh.Core.Tenants;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>PUT /api/v1/tenants/{tenantId}</c>. Omitted lists mean no restriction; omitted weights mean cost only.</summary>
public sealed record TenantRequest(
    IReadOnlyList<string>? AllowedJurisdictions,
    IReadOnlyList<string>? AllowedZones,
    IReadOnlyList<string>? DeniedJurisdictions,
    IReadOnlyList<string>? RequiredTeeKinds,
    int? MaxAttestationAgeSeconds,
    WeightsRequest? Weights,
    double? BudgetUsdPerHour)
{
    /// <summary>The default freshness a tenant accepts when it states none: the deployment's 600 s maximum age.</summary>
    public const int DefaultMaxAttestationAgeSeconds = 600;

    /// <summary>The policy, or null with the reasons in <paramref name="errors"/>.</summary>
    public TenantPolicy? ToPolicy(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var weights = Weights is null
            ? ObjectiveWeights.CostOnly
            : new ObjectiveWeights(Weights.Cost ?? 0, Weights.Energy ?? 0, Weights.Carbon ?? 0);
        var policy = new TenantPolicy(
            AllowedJurisdictions ?? [],
            AllowedZones ?? [],
            DeniedJurisdictions ?? [],
            RequiredTeeKinds ?? [],
            MaxAttestationAgeSeconds ?? DefaultMaxAttestationAgeSeconds,
            weights,
            BudgetUsdPerHour);
        policy.Validate(errors);
        return errors.IsValid ? policy : null;
    }
}

/// <summary>Objective weights in a tenant request.</summary>
public sealed record WeightsRequest(double? Cost, double? Energy, double? Carbon);
