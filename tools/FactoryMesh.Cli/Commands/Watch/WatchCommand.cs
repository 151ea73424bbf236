using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;
using FactoryMesh.Cli.Watch;

namespace FactoryMesh.Cli.Commands.Watch;

/// <summary>
/// <c>fmctl watch site | node | tenant | model</c>: follows the fleet hub live. Ends on Ctrl+C or after
/// <c>--duration</c> (exit 0), or with one line on stderr when the subscription is refused or the connection is lost.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var duration = new Option<int?>("--duration")
        {
            Description = "Stop after this many seconds (for scripts) [default: until Ctrl+C]",
            HelpName = "seconds",
            Recursive = true,
        };
        duration.Validators.Add(result =>
        {
            if (result.GetValue(duration) is < 1)
            {
                result.AddError("--duration: must be at least 1 second.");
            }
        });

        var siteId = CommonSymbols.SiteId();
        var nodeId = CommonSymbols.NodeId();
        var tenantId = CommonSymbols.TenantId();
        var modelTenantId = CommonSymbols.TenantId();
        var modelId = CommonSymbols.ModelId();
        var site = new Command("site", "A site's trust changes, utilization and summaries") { siteId };
        var node = new Command("node", "One node's trust changes, utilization and replicas") { nodeId };
        var tenant = new Command("tenant", "A tenant's replica placements and evictions") { tenantId };
        var model = new Command("model", "One model's replica placements and evictions") { modelTenantId, modelId };
        site.SetSessionAction(globals, (session, parse, ct) => RunAsync(session, WatchTarget.Site(parse.GetRequiredValue(siteId)), parse.GetValue(duration), ct));
        node.SetSessionAction(globals, (session, parse, ct) => RunAsync(session, WatchTarget.Node(parse.GetRequiredValue(nodeId)), parse.GetValue(duration), ct));
        tenant.SetSessionAction(globals, (session, parse, ct) => RunAsync(session, WatchTarget.Tenant(parse.GetRequiredValue(tenantId)), parse.GetValue(duration), ct));
        model.SetSessionAction(globals, (session, parse, ct) =>
            RunAsync(session, WatchTarget.Model(parse.GetRequiredValue(modelTenantId), parse.GetRequiredValue(modelId)), parse.GetValue(duration), ct));
        return new Command("watch", "Follow the fleet live: a table for people, or one JSON line per event with --output json")
        {
            duration, site, node, tenant, model,
        };
    }

    private static async Task<int> RunAsync(CommandSession session, WatchTarget target, int? durationSeconds, CancellationToken interrupted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        if (durationSeconds is { } seconds)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        try
        {
            await using var hub = await FleetHubSession.OpenAsync(session.Server, session.Token, target, stop.Token);
            var view = await ChooseViewAsync(session, target, stop.Token);
            await view.RunAsync(hub.Events, stop.Token);
            if (!stop.IsCancellationRequested && hub.Failure is { } failure)
            {
                throw failure;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or --duration: the normal end of a watch.
        }

        return ExitCodes.Success;
    }

    private static async Task<IWatchView> ChooseViewAsync(CommandSession session, WatchTarget target, CancellationToken cancellationToken)
    {
        if (session.Output.Format == OutputFormat.Json)
        {
            return new JsonLinesWatchView(target);
        }

        return Console.IsOutputRedirected
            ? new EventLogWatchView(target)
            : new LiveTableWatchView(target, await SeedAsync(session, target, cancellationToken));
    }

    // The table starts from the nodes' current state where the token may read it; events keep it current after.
    private static async Task<FleetBoard> SeedAsync(CommandSession session, WatchTarget target, CancellationToken cancellationToken)
    {
        var board = new FleetBoard();
        var path = target.Kind switch
        {
            "site" => ApiPaths.SiteNodes(target.Id),
            "node" => ApiPaths.Node(target.Id),
            _ => null,
        };
        if (path is null)
        {
            return board;
        }

        try
        {
            var nodes = await session.Api.GetAsync(path, cancellationToken);
            foreach (var node in nodes.ValueKind == System.Text.Json.JsonValueKind.Array ? nodes.EnumerateArray() : Enumerable.Repeat(nodes, 1))
            {
                board.Seed(node);
            }
        }
        catch (CliFailure failure) when (failure.ExitCode == ExitCodes.Refused)
        {
            // A viewer may watch a site it may not list: its table fills from events alone.
        }

        return board;
    }
}
