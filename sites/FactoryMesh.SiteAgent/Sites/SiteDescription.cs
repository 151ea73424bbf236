using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Sites;

/// <summary>A site as its file describes it: where its law applies, what its energy costs, and what its fleet holds.</summary>
/// <param name="SiteId">The site id (<c>eu-fra-1</c>).</param>
/// <param name="Name">A name for people (<c>Frankfurt am Main</c>).</param>
/// <param name="Jurisdiction">ISO 3166-1 alpha-2 country whose law governs the site.</param>
/// <param name="Zones">Sovereignty zones (<c>EU</c>).</param>
/// <param name="ElectricityUsdPerKwh">Price of electricity, USD per kWh.</param>
/// <param name="Pue">Power usage effectiveness.</param>
/// <param name="CarbonGramsPerKwh">Carbon intensity of the site's electricity, gCO2e per kWh.</param>
/// <param name="Fleet">The GPU models the site runs and in what proportion.</param>
internal sealed record SiteDescription(
    string SiteId,
    string? Name,
    string Jurisdiction,
    IReadOnlyList<string> Zones,
    double ElectricityUsdPerKwh,
    double Pue,
    double CarbonGramsPerKwh,
    IReadOnlyList<FleetShare> Fleet)
{
    /// <summary>The fleet entry for <paramref name="gpuModel"/>, if the site lists it.</summary>
    public FleetShare? ShareOf(string gpuModel) =>
        Fleet.FirstOrDefault(f => string.Equals(f.GpuModel, gpuModel, StringComparison.OrdinalIgnoreCase));

    /// <summary>The body of <c>PUT /api/v1/sites/{siteId}</c> an operator sends to create this site.</summary>
    public SiteProfileBody ToProfileBody() => new(Jurisdiction, Zones, ElectricityUsdPerKwh, Pue, CarbonGramsPerKwh);
}
