using FactoryMesh.Contracts.Http;
using FactoryMesh.Core.Sites;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>Turns the wire's site body into the domain's profile, naming every broken rule.</summary>
public static class SiteProfileValidation
{
    /// <summary>The profile, or null with the reasons in <paramref name="errors"/>.</summary>
    public static SiteProfile? ToProfile(this SiteProfileBody body, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(body.Jurisdiction is null, "jurisdiction", "Required.");
        errors.AddIf(body.ElectricityUsdPerKwh is null, "electricityUsdPerKwh", "Required.");
        errors.AddIf(body.Pue is null, "pue", "Required.");
        errors.AddIf(body.CarbonGramsPerKwh is null, "carbonGramsPerKwh", "Required.");
        if (!errors.IsValid)
        {
            return null;
        }

        var profile = new SiteProfile(body.Jurisdiction!, body.Zones ?? [], body.ElectricityUsdPerKwh!.Value, body.Pue!.Value, body.CarbonGramsPerKwh!.Value);
        profile.Validate(errors);
        return errors.IsValid ? profile : null;
    }
}
