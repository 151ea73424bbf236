using System.Globalization;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Validation;
using Orleans;

namespace FactoryMesh.Core.Tenants;

/// <summary>
/// Where a tenant's models may run and what the tenant optimizes for. Empty allow-lists mean "no
/// restriction of that kind"; a deny-list always wins over an allow-list.
/// </summary>
/// <param name="AllowedJurisdictions">Countries a replica may run in (ISO 3166-1 alpha-2); empty allows any.</param>
/// <param name="AllowedZones">Sovereignty zones a replica's site must be in (any of them); empty allows any.</param>
/// <param name="DeniedJurisdictions">Countries a replica must never run in.</param>
/// <param name="RequiredTeeKinds">TEE kinds a node must have (any of them); empty accepts every kind.</param>
/// <param name="MaxAttestationAgeSeconds">The oldest attestation this tenant accepts, seconds.</param>
/// <param name="Weights">Objective weights.</param>
/// <param name="BudgetUsdPerHour">The most the tenant's replicas may cost per hour, or null for no budget.</param>
[GenerateSerializer, Immutable]
public sealed record TenantPolicy(
    [property: Id(0)] IReadOnlyList<string> AllowedJurisdictions,
    [property: Id(1)] IReadOnlyList<string> AllowedZones,
    [property: Id(2)] IReadOnlyList<string> DeniedJurisdictions,
    [property: Id(3)] IReadOnlyList<string> RequiredTeeKinds,
    [property: Id(4)] int MaxAttestationAgeSeconds,
    [property: Id(5)] ObjectiveWeights Weights,
    [property: Id(6)] double? BudgetUsdPerHour)
{
    /// <summary>The longest list a policy field may hold.</summary>
    public const int MaxListLength = 64;

    /// <summary>The longest attestation age a tenant may accept: one day.</summary>
    public const int MaxAttestationAgeLimitSeconds = 86_400;

    /// <summary>Adds every broken rule to <paramref name="errors"/>, under the API's field names.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ValidateList(errors, "allowedJurisdictions", AllowedJurisdictions, Jurisdictions.IsAssigned, "Must be an ISO 3166-1 alpha-2 country code in upper case.");
        ValidateList(errors, "allowedZones", AllowedZones, SovereigntyZone.IsValid, SovereigntyZone.Rule);
        ValidateList(errors, "deniedJurisdictions", DeniedJurisdictions, Jurisdictions.IsAssigned, "Must be an ISO 3166-1 alpha-2 country code in upper case.");
        ValidateList(errors, "requiredTeeKinds", RequiredTeeKinds, TeeKinds.All.Contains, $"Must be one of {TeeKinds.Listed}.");
        errors.AddIf(MaxAttestationAgeSeconds is < 1 or > MaxAttestationAgeLimitSeconds, "maxAttestationAgeSeconds",
            $"Must be between 1 and {MaxAttestationAgeLimitSeconds} seconds.");
        ValidateWeight(errors, "weights.cost", Weights.Cost);
        ValidateWeight(errors, "weights.energy", Weights.Energy);
        ValidateWeight(errors, "weights.carbon", Weights.Carbon);
        errors.AddIf(Weights.Cost + Weights.Energy + Weights.Carbon <= 0, "weights", "At least one weight must be positive.");
        errors.AddIf(BudgetUsdPerHour is { } budget && (!double.IsFinite(budget) || budget <= 0), "budgetUsdPerHour", "Must be positive when given.");
        var contradictions = AllowedJurisdictions.Intersect(DeniedJurisdictions, StringComparer.Ordinal).ToList();
        errors.AddIf(contradictions.Count > 0, "deniedJurisdictions", $"Also allowed: {string.Join(", ", contradictions)}.");
    }

    /// <summary>Why replicas of this tenant may not run at <paramref name="site"/>, or null when they may.</summary>
    public string? SovereigntyRefusal(SiteProfile site)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (DeniedJurisdictions.Contains(site.Jurisdiction, StringComparer.Ordinal))
        {
            return $"jurisdiction {site.Jurisdiction} is denied";
        }

        if (AllowedJurisdictions.Count > 0 && !AllowedJurisdictions.Contains(site.Jurisdiction, StringComparer.Ordinal))
        {
            return $"jurisdiction {site.Jurisdiction} is not among the allowed {string.Join(", ", AllowedJurisdictions)}";
        }

        if (AllowedZones.Count > 0 && !site.Zones.Any(zone => AllowedZones.Contains(zone, StringComparer.Ordinal)))
        {
            return $"the site is in none of the allowed zones {string.Join(", ", AllowedZones)}";
        }

        return null;
    }

    /// <summary>
    /// Why a replica of this tenant may not be on a node with TEE <paramref name="teeKind"/> at <paramref name="site"/>
    /// (sovereignty, then TEE kind), or null when it may. Judged at placement, on every policy or site change, and at
    /// every key release.
    /// </summary>
    public string? ReplicaRefusal(SiteProfile site, string teeKind)
    {
        if (SovereigntyRefusal(site) is { } sovereignty)
        {
            return sovereignty;
        }

        return RequiredTeeKinds.Count > 0 && !RequiredTeeKinds.Contains(teeKind, StringComparer.Ordinal)
            ? $"TEE kind {teeKind} is not among the required {string.Join(", ", RequiredTeeKinds)}"
            : null;
    }

    /// <summary>
    /// Why an attestation verified at <paramref name="verifiedAt"/> is too old for this tenant at <paramref name="now"/>,
    /// or null when it is fresh enough.
    /// </summary>
    public string? AttestationAgeRefusal(DateTimeOffset? verifiedAt, DateTimeOffset now)
    {
        if (verifiedAt is not { } verified)
        {
            return "the node has no verified attestation";
        }

        var age = now - verified;
        return age.TotalSeconds > MaxAttestationAgeSeconds
            ? string.Create(CultureInfo.InvariantCulture, $"attested {age.TotalSeconds:0} s ago; the tenant accepts at most {MaxAttestationAgeSeconds} s")
            : null;
    }

    private static void ValidateList(ValidationErrors errors, string field, IReadOnlyList<string> values, Func<string, bool> isValid, string rule)
    {
        errors.AddIf(values.Count > MaxListLength, field, $"At most {MaxListLength} entries.");
        for (var i = 0; i < values.Count; i++)
        {
            errors.AddIf(!isValid(values[i]), $"{field}[{i}]", rule);
        }
    }

    private static void ValidateWeight(ValidationErrors errors, string field, double weight) =>
        errors.AddIf(!double.IsFinite(weight) || weight < 0, field, "Must be a non-negative number.");
}
