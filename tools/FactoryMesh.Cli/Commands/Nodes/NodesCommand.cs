using System.CommandLine;
using System.Text.Json;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Nodes;

/// <summary>
/// <c>fmctl nodes list | get | register | revoke</c>. Nodes are normally registered by their site's agent; operators
/// read them, revoke their trust, and can register a site's nodes from an inventory file (a rack being brought up
/// before its agent runs, say).
/// </summary>
internal static class NodesCommand
{
    /// <summary>The most nodes the API takes in one registration call.</summary>
    private const int BatchRegistrationLimit = 1000;

    public static Command Create(GlobalOptions globals)
    {
        var nodes = new Command("nodes", "GPU nodes: inventory, liveness, trust and replicas");
        nodes.Subcommands.Add(List(globals));
        nodes.Subcommands.Add(Get(globals));
        nodes.Subcommands.Add(Register(globals));
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

    // The file is the API's own body: a JSON array of {nodeId, gpuModel, gpuCount, gpuMemoryGiB, teeKind, powerWatts,
    // costUsdPerHour[, expectedEpoch]}. Larger files go in batches of the API's limit; the server validates each batch
    // whole, so a bad node stops the run at its batch, and earlier batches stay registered (the output says which).
    private static Command Register(GlobalOptions globals)
    {
        var siteId = CommonSymbols.SiteId();
        var file = new Argument<string>("file") { Description = "JSON array of node registrations (the body of POST /api/v1/sites/{siteId}/nodes)" };
        var register = new Command("register", "Register (or update) the nodes of a site from an inventory file, 1000 per call") { siteId, file };
        register.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetRequiredValue(file));
            if (!File.Exists(path))
            {
                throw new CliFailure(ExitCodes.Usage, $"no such file: {path}");
            }

            JsonElement[] items;
            try
            {
                using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
                items = document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.GetArrayLength() > 0
                    ? document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray()
                    : throw new CliFailure(ExitCodes.Usage, $"{path} must hold a non-empty JSON array of node registrations");
            }
            catch (JsonException exception)
            {
                throw new CliFailure(ExitCodes.Usage, $"{path} is not JSON: {exception.Message}");
            }

            var results = new List<JsonElement>();
            foreach (var batch in items.Chunk(BatchRegistrationLimit))
            {
                var answer = await session.Api.PostAsync(ApiPaths.SiteNodes(parse.GetRequiredValue(siteId)), batch, cancellationToken);
                results.AddRange(answer.EnumerateArray().Select(e => e.Clone()));
            }

            using var all = JsonDocument.Parse(JsonSerializer.Serialize(results));
            session.Output.Show(all.RootElement.Clone(), NodeViews.Registrations);
        });
        return register;
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
