using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FactoryMesh.Cli.Connection;
using FactoryMesh.Cli.Output;

namespace FactoryMesh.Cli.Commands.Models;

/// <summary>
/// <c>fmctl models put | get | place</c>: a tenant's models, what they need from the fleet, and their placement
/// (<c>/api/v1/tenants/{tenantId}/models/{modelId}</c>).
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var models = new Command("models", "A tenant's models: memory, throughput by GPU, replicas, encrypted artifact, and placement");
        models.Subcommands.Add(Put(globals));
        models.Subcommands.Add(Get(globals));
        models.Subcommands.Add(Place(globals));
        models.Subcommands.Add(Explain(globals));
        return models;
    }

    private static Command Put(GlobalOptions globals)
    {
        var tenantId = CommonSymbols.TenantId();
        var modelId = CommonSymbols.ModelId();
        var memory = new Option<double>("--gpu-memory-gib") { Description = "GPU memory one replica needs, GiB", HelpName = "GiB", Required = true };
        var throughput = new Option<string[]>("--tokens-per-second")
        {
            Description = "Tokens per second one replica serves on a GPU model, e.g. H100=2400 (repeat for more; GPU models not listed cannot host it)",
            HelpName = "GPU=tokens",
            Required = true,
        };
        throughput.Validators.Add(result =>
        {
            foreach (var error in ThroughputErrors(result.GetValue(throughput) ?? []))
            {
                result.AddError(error);
            }
        });
        var replicas = new Option<int>("--replicas") { Description = "How many replicas to run", HelpName = "count", Required = true };
        var minSites = new Option<int?>("--min-sites") { Description = "The fewest distinct sites the replicas must span [server default: 1]", HelpName = "count" };
        var artifactUri = new Option<string?>("--artifact-uri") { Description = "Where the encrypted artifact (.fma) is, an absolute URI", HelpName = "URI" };
        var artifactSha256 = new Option<string?>("--artifact-sha256") { Description = "SHA-256 of the plaintext weights, hex (what model encrypt prints)", HelpName = "HEX" };
        var artifactKey = new Option<string?>("--artifact-wrapped-key") { Description = "The artifact's wrapped data key (what model encrypt prints)", HelpName = "KEY" };
        var put = new Command("put", "Create a model or replace its whole definition")
        {
            tenantId, modelId, memory, throughput, replicas, minSites, artifactUri, artifactSha256, artifactKey,
        };
        put.Validators.Add(result =>
        {
            var given = new[] { artifactUri, artifactSha256, artifactKey }.Count(option => result.GetValue(option) is not null);
            if (given is not 0 and not 3)
            {
                result.AddError("--artifact-uri, --artifact-sha256 and --artifact-wrapped-key go together: give all three or none.");
            }
        });
        put.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var uri = parse.GetValue(artifactUri);
            var body = new
            {
                GpuMemoryGiB = parse.GetValue(memory),
                TokensPerSecondByGpu = Throughput(parse.GetValue(throughput) ?? []),
                Replicas = parse.GetValue(replicas),
                MinSites = parse.GetValue(minSites),
                Artifact = uri is null ? null : new { Uri = uri, Sha256 = parse.GetValue(artifactSha256), WrappedKey = parse.GetValue(artifactKey) },
            };
            var path = ApiPaths.Model(parse.GetRequiredValue(tenantId), parse.GetRequiredValue(modelId));
            session.Output.Show(await session.Api.PutAsync(path, body, cancellationToken), PropertySheetView.Instance);
        });
        return put;
    }

    private static Command Get(GlobalOptions globals)
    {
        var tenantId = CommonSymbols.TenantId();
        var modelId = CommonSymbols.ModelId();
        var get = new Command("get", "One model, with its artifact and replicas") { tenantId, modelId };
        get.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var path = ApiPaths.Model(parse.GetRequiredValue(tenantId), parse.GetRequiredValue(modelId));
            session.Output.Show(await session.Api.GetAsync(path, cancellationToken), PropertySheetView.Instance);
        });
        return get;
    }

    private static Command Place(GlobalOptions globals)
    {
        var tenantId = CommonSymbols.TenantId();
        var modelId = CommonSymbols.ModelId();
        var place = new Command("place", "Place the model's replicas now: where they run, what they cost, and which nodes were left out and why") { tenantId, modelId };
        place.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var path = ApiPaths.ModelPlacement(parse.GetRequiredValue(tenantId), parse.GetRequiredValue(modelId));
            session.Output.Show(await session.Api.PostAsync(path, cancellationToken), PlacementView.Instance);
        });
        return place;
    }

    private static Command Explain(GlobalOptions globals)
    {
        var tenantId = CommonSymbols.TenantId();
        var modelId = CommonSymbols.ModelId();
        var limit = new Option<int>("--limit") { Description = "How many candidates and excluded nodes to list", HelpName = "count", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(result =>
        {
            if (result.GetValue(limit) is < 1 or > 1000)
            {
                result.AddError("--limit must be between 1 and 1000.");
            }
        });
        var explain = new Command("explain", "Why the model is placed where it is: every eligible candidate's cost, energy and carbon per token, and why each other node was left out")
        {
            tenantId, modelId, limit,
        };
        explain.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var path = ApiPaths.ModelPlacementExplanation(parse.GetRequiredValue(tenantId), parse.GetRequiredValue(modelId), parse.GetValue(limit));
            session.Output.Show(await session.Api.GetAsync(path, cancellationToken), ExplanationView.Instance);
        });
        return explain;
    }

    // "H100=2400" each; the server checks the ranges, the command line only the shape.
    private static IEnumerable<string> ThroughputErrors(string[] values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (!TryParseThroughput(value, out var gpu, out _))
            {
                yield return $"--tokens-per-second: '{value}' is not GPU=tokens, e.g. H100=2400.";
            }
            else if (!seen.Add(gpu))
            {
                yield return $"--tokens-per-second: {gpu} is given twice.";
            }
        }
    }

    private static Dictionary<string, double> Throughput(string[] values)
    {
        var byGpu = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (TryParseThroughput(value, out var gpu, out var tokens))
            {
                byGpu[gpu] = tokens;
            }
        }

        return byGpu;
    }

    private static bool TryParseThroughput(string value, out string gpu, out double tokens)
    {
        var separator = value.IndexOf('=', StringComparison.Ordinal);
        gpu = separator > 0 ? value[..separator].Trim() : string.Empty;
        tokens = 0;
        return gpu.Length > 0
            && double.TryParse(value.AsSpan(separator + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out tokens);
    }
}
