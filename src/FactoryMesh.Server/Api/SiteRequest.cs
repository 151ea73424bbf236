using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>PUT /api/v1/sites/{siteId}</c>.</summary>
public sealed record SiteRequest(
    string? Jurisdiction,
    IReadOnlyList<string>? Zones,
    double? ElectricityUsdPerKwh,
    double? Pue,
    double? CarbonGramsPerKwh)
{
    /// <summary>The profile, or null with the reasons in <paramref name="errors"/>.</summary>
    public SiteProfile? ToProfile(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(Jurisdiction is null, "jurisdiction", "Required.");
        errors.AddIf(ElectricityUsdPerKwh is null, "electricityUsdPerKwh", "Required.");
        errors.AddIf(Pue is null, "pue", "Required.");
        errors.AddIf(CarbonGramsPerKwh is null, "carbonGramsPerKwh", "Required.");
        if (!errors.IsValid)
        {
            return null;
        }

        var profile = new SiteProfile(Jurisdiction!, Zones ?? [], ElectricityUsdPerKwh!.Value, Pue!.Value, CarbonGramsPerKwh!.Value);
        profile.Validate(errors);
        return errors.IsValid ? profile : null;
    }
}
