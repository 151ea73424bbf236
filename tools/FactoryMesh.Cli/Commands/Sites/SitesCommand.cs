using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Sites;

/// <summary><c>fmctl sites list | get | put</c>: the sovereign sites (<c>/api/v1/sites</c>).</summary>
internal static class SitesCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var sites = new Command("sites", "Sovereign sites: jurisdiction, zones, energy economics and a summary of their nodes");
        sites.Subcommands.Add(List(globals));
        sites.Subcommands.Add(Get(globals));
        sites.Subcommands.Add(Put(globals));
        return sites;
    }

    private static Command List(GlobalOptions globals)
    {
        var list = new Command("list", "Every site with its node counts and load");
        list.SetSessionAction(globals, async (session, _, cancellationToken) =>
            session.Output.Show(await session.Api.GetAsync(ApiPaths.Sites, cancellationToken), SiteViews.List));
        return list;
    }

    private static Command Get(GlobalOptions globals)
    {
        var siteId = CommonSymbols.SiteId();
        var get = new Command("get", "One site") { siteId };
        get.SetSessionAction(globals, async (session, parse, cancellationToken) =>
            session.Output.Show(await session.Api.GetAsync(ApiPaths.Site(parse.GetRequiredValue(siteId)), cancellationToken), PropertySheetView.Instance));
        return get;
    }

    private static Command Put(GlobalOptions globals)
    {
        var siteId = CommonSymbols.SiteId();
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "ISO 3166-1 alpha-2 country code, e.g. DE", Required = true };
        var zones = new Option<string[]>("--zone") { Description = "A sovereignty zone the site belongs to, e.g. EU (repeat for more)", HelpName = "zone" };
        var price = new Option<double>("--electricity-usd-per-kwh") { Description = "Electricity price, USD per kWh", Required = true };
        var pue = new Option<double>("--pue") { Description = "Power usage effectiveness, 1.0 to 5.0", Required = true };
        var carbon = new Option<double>("--carbon-grams-per-kwh") { Description = "Grid carbon intensity, gCO2e per kWh", Required = true };
        var put = new Command("put", "Create a site or replace its profile") { siteId, jurisdiction, zones, price, pue, carbon };
        put.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var body = new
            {
                Jurisdiction = parse.GetRequiredValue(jurisdiction),
                Zones = parse.GetValue(zones) ?? [],
                ElectricityUsdPerKwh = parse.GetValue(price),
                Pue = parse.GetValue(pue),
                CarbonGramsPerKwh = parse.GetValue(carbon),
            };
            session.Output.Show(await session.Api.PutAsync(ApiPaths.Site(parse.GetRequiredValue(siteId)), body, cancellationToken), PropertySheetView.Instance);
        });
        return put;
    }
}
