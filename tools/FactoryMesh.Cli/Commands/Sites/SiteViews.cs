using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Sites;

/// <summary>Sites as tables.</summary>
internal static class SiteViews
{
    public static ListView List { get; } = new(
        "No sites.",
        ListColumn.Text("SITE", s => s.Text("siteId")),
        ListColumn.Text("JURISDICTION", s => s.Text("profile", "jurisdiction")),
        ListColumn.Text("ZONES", s => s.Text("profile", "zones")),
        ListColumn.Numeric("NODES", s => s.Text("nodes")),
        ListColumn.Numeric("READY", s => s.Text("ready")),
        ListColumn.Numeric("TRUSTED", s => s.Text("trusted")),
        ListColumn.Numeric("STALE", s => s.Text("stale")),
        ListColumn.Numeric("UNTRUSTED", s => s.Text("untrusted")),
        ListColumn.Numeric("GPU", s => s.Percent("gpuUtilization")),
        ListColumn.Numeric("POWER kW", s => s.Kilowatts("powerWatts")),
        ListColumn.Numeric("USD/kWh", s => s.Number("0.###", "profile", "electricityUsdPerKwh")),
        ListColumn.Numeric("PUE", s => s.Number("0.##", "profile", "pue")),
        ListColumn.Numeric("gCO2e/kWh", s => s.Number("0", "profile", "carbonGramsPerKwh")));
}
