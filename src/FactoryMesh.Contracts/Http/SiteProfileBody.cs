namespace FactoryMesh.Contracts.Http;

/// <summary>Body of <c>PUT /api/v1/sites/{siteId}</c>: where the site is and what its energy costs.</summary>
/// <param name="Jurisdiction">The site's jurisdiction (<c>DE</c>).</param>
/// <param name="Zones">The sovereignty zones it belongs to (<c>EU</c>).</param>
/// <param name="ElectricityUsdPerKwh">Electricity price, USD per kWh.</param>
/// <param name="Pue">Power usage effectiveness (1 or more).</param>
/// <param name="CarbonGramsPerKwh">Grid carbon intensity, gCO2e per kWh.</param>
public sealed record SiteProfileBody(
    string? Jurisdiction,
    IReadOnlyList<string>? Zones,
    double? ElectricityUsdPerKwh,
    double? Pue,
    double? CarbonGramsPerKwh);
