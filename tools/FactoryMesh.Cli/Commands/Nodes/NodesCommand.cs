using System.CommandLine;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Nodes;

/// <summary>
/// <c>fmctl nodes list | get | revoke</c>. Nodes are registered by their site's agent, not from here; operators
/// read them and revoke their trust.
/// </summary>
internal static class NodesCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var nodes = new Command("nodes", "GPU nodes: inventory, liveness, trust and replicas");
        nodes.Subcommands.Add(List(globals));
        nodes.Subcommands.Add(Get(globals));
        nodes.Subcommands.Add(Revoke(globals));
        return nodes;
    }

    private static Command List(GlobalOptions globals)
    {
        var siteId = CommonSymbols.SiteId();
        var list = new Command("list", "The nodes of one site") { siteId };
        list.SetSessionAction(globals, async (session, parse, cancellationToken) =>
            session.Output.Show(await session.Api.GetAsync(ApiPaths.SiteNodes(parse.GetRequiredValue(siteId)), cancellationToken), NodeViews.List));
        return list;
    }

    private static Command Get(GlobalOptions globals)
    {
        var nodeId = CommonSymbols.NodeId();
        var get = new Command("get", "One node, with its trust and replicas") { nodeId };
        get.SetSessionAction(globals, async (session, parse, cancellationToken) =>
            session.Output.Show(await session.Api.GetAsync(ApiPaths.Node(parse.GetRequiredValue(nodeId)), cancellationToken), PropertySheetView.Instance));
        return get;
    }

    private static Command Revoke(GlobalOptions globals)
    {
        var nodeId = CommonSymbols.NodeId();
        var reason = CommonSymbols.Reason();
        var revoke = new Command("revoke", "Make a node Untrusted at once; it gets no new replicas and no keys") { nodeId, reason };
        revoke.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var body = new { Reason = parse.GetRequiredValue(reason) };
            session.Output.Show(await session.Api.PostAsync(ApiPaths.NodeRevocation(parse.GetRequiredValue(nodeId)), body, cancellationToken), PropertySheetView.Instance);
        });
        return revoke;
    }
}
