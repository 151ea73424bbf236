namespace FactoryMesh.Cli.Output;

/// <summary>
/// The columns every placement view shows for a replica or candidate, from the server's field names: cost, energy and
/// carbon per token, and cost per hour, each with the precision its magnitude needs.
/// </summary>
internal static class EconomicsColumns
{
    public static readonly ListColumn CostPerMillionTokens = ListColumn.Numeric("USD/MTok", item => item.Number("0.####", "costUsdPerMTok"));

    public static readonly ListColumn EnergyPerToken = ListColumn.Numeric("J/token", item => item.Number("0.####", "joulesPerToken"));

    public static readonly ListColumn CarbonPerToken = ListColumn.Numeric("gCO2e/token", item => item.Number("0.######", "gramsCo2PerToken"));

    public static readonly ListColumn CostPerHour = ListColumn.Numeric("USD/h", item => item.Number("0.##", "costUsdPerHour"));
}
