using FactoryMesh.Core.Validation;
using Orleans;

namespace FactoryMesh.Core.Sites;

/// <summary>What placement needs to know about a site: where its law applies and what its energy costs.</summary>
/// <param name="Jurisdiction">ISO 3166-1 alpha-2 country whose law governs the site (<c>DE</c>).</param>
/// <param name="Zones">Sovereignty zones the site belongs to (<c>EU</c>), upper case.</param>
/// <param name="ElectricityUsdPerKwh">Price of electricity at the site, USD per kWh.</param>
/// <param name="Pue">Power usage effectiveness: facility power over IT power, at least 1.</param>
/// <param name="CarbonGramsPerKwh">Carbon intensity of the site's electricity, gCO2e per kWh.</param>
[GenerateSerializer, Immutable]
public sealed record SiteProfile(
    [property: Id(0)] string Jurisdiction,
    [property: Id(1)] IReadOnlyList<string> Zones,
    [property: Id(2)] double ElectricityUsdPerKwh,
    [property: Id(3)] double Pue,
    [property: Id(4)] double CarbonGramsPerKwh)
{
    /// <summary>The most zones a site may list.</summary>
    public const int MaxZones = 16;

    /// <summary>True when <paramref name="other"/> is in the same jurisdiction and the same zones: what tenant policies judge.</summary>
    public bool SameSovereignty(SiteProfile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Jurisdiction, other.Jurisdiction, StringComparison.Ordinal)
            && Zones.Order(StringComparer.Ordinal).SequenceEqual(other.Zones.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>Adds every broken rule to <paramref name="errors"/>, under the API's field names.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(!Jurisdictions.IsAssigned(Jurisdiction), "jurisdiction", "Must be an ISO 3166-1 alpha-2 country code in upper case, e.g. 'DE'.");
        errors.AddIf(Zones.Count > MaxZones, "zones", $"At most {MaxZones} zones.");
        for (var i = 0; i < Zones.Count; i++)
        {
            errors.AddIf(!SovereigntyZone.IsValid(Zones[i]), $"zones[{i}]", SovereigntyZone.Rule);
        }

        errors.AddIf(Zones.Distinct(StringComparer.Ordinal).Count() != Zones.Count, "zones", "Zones must not repeat.");
        errors.AddIf(!double.IsFinite(ElectricityUsdPerKwh) || ElectricityUsdPerKwh < 0 || ElectricityUsdPerKwh > 10,
            "electricityUsdPerKwh", "Must be between 0 and 10 USD per kWh.");
        errors.AddIf(!double.IsFinite(Pue) || Pue < 1 || Pue > 5, "pue", "Must be between 1.0 and 5.0.");
        errors.AddIf(!double.IsFinite(CarbonGramsPerKwh) || CarbonGramsPerKwh < 0 || CarbonGramsPerKwh > 2000,
            "carbonGramsPerKwh", "Must be between 0 and 2000 gCO2e per kWh.");
    }
}
