using System.Globalization;
using System.Text.Json;
using FactoryMesh.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FactoryMesh.Cli.Commands.Top;

/// <summary>
/// One frame of <c>fmctl top</c>: a line with the fleet's totals and the time, then a row per site, busiest power
/// draw first, trust counts coloured by what they mean (stale and untrusted nodes are the ones to look at).
/// </summary>
internal sealed class FleetTopView(DateTimeOffset at) : ITableView
{
    private static readonly ListColumn[] Columns =
    [
        ListColumn.Text("SITE", s => s.Text("siteId")),
        ListColumn.Numeric("NODES", s => s.Text("nodes")),
        ListColumn.Numeric("READY", s => s.Text("ready")),
        new("TRUSTED", s => Coloured(s, "trusted", Color.Green), Justify.Right),
        new("STALE", s => Coloured(s, "stale", Color.Yellow), Justify.Right),
        new("UNTRUSTED", s => Coloured(s, "untrusted", Color.Red), Justify.Right),
        ListColumn.Numeric("GPU", s => s.Percent("gpuUtilization")),
        ListColumn.Numeric("POWER kW", s => s.Kilowatts("powerWatts")),
        ListColumn.Numeric("TOKENS/s", s => s.Number("#,0", "tokensPerSecond")),
    ];

    public IRenderable Render(JsonElement result)
    {
        var sites = result.EnumerateArray().OrderByDescending(s => s.GetProperty("powerWatts").GetDouble()).ThenBy(s => s.Text("siteId"), StringComparer.Ordinal).ToList();
        var totals = string.Create(CultureInfo.InvariantCulture,
            $"{at:HH:mm:ss}  {sites.Count} sites  {Sum(sites, "nodes"):0} nodes  {Sum(sites, "ready"):0} ready  " +
            $"{Sum(sites, "trusted"):0} trusted  {Sum(sites, "stale"):0} stale  {Sum(sites, "untrusted"):0} untrusted  " +
            $"{Sum(sites, "powerWatts") / 1000:0.0} kW  {Sum(sites, "tokensPerSecond"):#,0} tokens/s");
        var table = new Table().Border(TableBorder.None);
        foreach (var column in Columns)
        {
            table.AddColumn(new TableColumn(column.Header) { Alignment = column.Alignment, NoWrap = true, Padding = new Padding(0, 0, 3, 0) });
        }

        foreach (var site in sites)
        {
            table.AddRow(Columns.Select(column => column.Cell(site)));
        }

        return new Rows(new Text(totals), sites.Count == 0 ? new Text("No sites.") : table);
    }

    private static double Sum(List<JsonElement> sites, string field) => sites.Sum(s => s.GetProperty(field).GetDouble());

    private static Markup Coloured(JsonElement site, string field, Color colour)
    {
        var count = site.GetProperty(field).GetInt32();
        return new Markup(count.ToString(CultureInfo.InvariantCulture), count == 0 ? Style.Plain : new Style(colour));
    }
}
