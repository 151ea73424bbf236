using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.Cli.Commands.Placement;

/// <summary>
/// <c>fmctl placement plan</c>: re-plans many models together under the fleet's GPU capacity (<c>POST /api/v1/placement</c>)
/// and shows the plan per model, what moves, and how close to optimal it is proven.
/// </summary>
internal static class PlacementCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var placement = new Command("placement", "Fleet-wide placement: many models planned together under GPU capacity");
        placement.Subcommands.Add(Plan(globals));
        return placement;
    }

    private static Command Plan(GlobalOptions globals)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's models [default: every tenant's]", HelpName = "tenantId" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the plan without applying it" };
        var maxMoves = new Option<int?>("--max-moves") { Description = "The most replicas the plan may move off nodes that could keep them [default: no limit]", HelpName = "count" };
        maxMoves.Validators.Add(result =>
        {
            if (result.GetValue(maxMoves) is < 0)
            {
                result.AddError("--max-moves must not be negative.");
            }
        });
        var timeLimit = new Option<double?>("--time-limit")
        {
            Description = $"How long the solver may search, seconds [server default: {FleetPlacementBody.DefaultTimeLimitSeconds}]",
            HelpName = "seconds",
        };
        var plan = new Command("plan", "Plan the models jointly and apply the plan (or only show it with --dry-run): replicas, moves, cost per token, proven gap")
        {
            tenant, dryRun, maxMoves, timeLimit,
        };
        plan.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var body = new FleetPlacementBody(parse.GetValue(tenant), parse.GetValue(dryRun), parse.GetValue(maxMoves), parse.GetValue(timeLimit));
            session.Output.Show(await session.Api.PostAsync(ApiPaths.Placement, body, cancellationToken), FleetPlanView.Instance);
        });
        return plan;
    }
}
