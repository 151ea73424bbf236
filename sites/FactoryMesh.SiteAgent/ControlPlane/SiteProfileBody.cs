using FactoryMesh.SiteAgent.Sites;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>Body of <c>PUT /api/v1/sites/{siteId}</c>, which an operator sends to create the site an agent then serves.</summary>
internal sealed record SiteProfileBody(string Jurisdiction, IReadOnlyList<string> Zones, double ElectricityUsdPerKwh, double Pue, double CarbonGramsPerKwh)
{
    /// <summary>The body for <paramref name="site"/>.</summary>
    public static SiteProfileBody From(SiteDescription site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return new(site.Jurisdiction, site.Zones, site.ElectricityUsdPerKwh, site.Pue, site.CarbonGramsPerKwh);
    }
}
