using System.Security.Claims;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Nodes;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Hosting;
using FactoryMesh.Server.Security;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.Server.Api;

/// <summary>Sites, their nodes and the agents' heartbeats: <c>/api/v1/sites</c> and <c>/api/v1/nodes</c>.</summary>
public static class SitesApi
{
    // How far an agent's clock may run ahead of the server's before its sample times are refused.
    private static readonly TimeSpan SampleClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/sites").WithTags("Sites");
        sites.MapPut("/{siteId}", PutSiteAsync).RequireAuthorization(Policies.Operator);
        sites.MapGet("/", ListSitesAsync);
        sites.MapGet("/{siteId}", GetSiteAsync);
        sites.MapPut("/{siteId}/nodes/{nodeId}", PutNodeAsync).RequireAuthorization(Policies.SiteAgent);
        sites.MapPost("/{siteId}/nodes", PostNodesAsync).RequireAuthorization(Policies.SiteAgent).RequireRateLimiting(RateLimits.Agent).WithBodyLimit(RequestBodyLimit.Batch);
        sites.MapGet("/{siteId}/nodes", ListNodesAsync).RequireAuthorization(Policies.SiteReader);
        sites.MapPost("/{siteId}/heartbeats", PostHeartbeatsAsync).RequireAuthorization(Policies.SiteAgent).RequireRateLimiting(RateLimits.Agent).WithBodyLimit(RequestBodyLimit.Batch);

        app.MapGet("/nodes/{nodeId}", GetNodeAsync).WithTags("Nodes").RequireAuthorization(Policies.OperatorOrScheduler);
        return app;
    }

    private static async Task<IResult> PutSiteAsync(string siteId, SiteProfileBody body, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        var profile = body.ToProfile(errors);
        if (profile is null || !errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var site = grains.GetGrain<ISiteGrain>(siteId);
        var previous = await site.GetAsync();
        var view = await site.UpsertAsync(profile);

        // A site that moves jurisdiction or zones may now host replicas its tenants forbid: they leave before this answers.
        if (previous is not null && !previous.Profile.SameSovereignty(profile))
        {
            await grains.GetGrain<IComplianceGrain>(0).RescreenFleetAsync($"site {siteId} changed jurisdiction or zones");
        }

        return TypedResults.Ok(view);
    }

    private static async Task<IResult> ListSitesAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListSitesAsync();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ISiteGrain>(id).GetAsync()));
        return TypedResults.Ok(views.OfType<SiteView>().ToArray());
    }

    private static async Task<IResult> GetSiteAsync(string siteId, IGrainFactory grains)
    {
        return await FleetLookup.SiteExistsAsync(grains, siteId) && await grains.GetGrain<ISiteGrain>(siteId).GetAsync() is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"Site '{siteId}' does not exist.");
    }

    private static async Task<IResult> PutNodeAsync(string siteId, string nodeId, NodeRegistrationBody body, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        var id = RouteNames.NodeIdUnderSite(siteId, nodeId);
        errors.AddIf(id is null, "nodeId", $"Must be a node name or a node id of site '{siteId}': {NodeId.Rule}.");
        var inventory = body.ToInventory(errors);
        if (id is null || inventory is null)
        {
            return Problems.Invalid(errors);
        }

        var result = await grains.GetGrain<INodeGrain>(id.Value.ToString()).RegisterAsync(inventory, body.Epoch);
        return result.Outcome switch
        {
            RegistrationOutcome.Registered => TypedResults.Ok(result.Node),
            RegistrationOutcome.UnknownSite => Problems.NotFound($"Site '{siteId}' does not exist."),
            _ => Problems.Conflict($"Epoch {body.Epoch} is stale: node '{id}' is at epoch {result.Node?.Epoch}; a newer agent registered it."),
        };
    }

    private static async Task<IResult> PostNodesAsync(
        string siteId, IReadOnlyList<NodeRegistrationItem?> items, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        var registrations = ValidateRegistrations(siteId, items, errors);
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        if (await grains.GetGrain<ISiteGrain>(siteId).GetAsync() is null)
        {
            return Problems.NotFound($"Site '{siteId}' does not exist.");
        }

        var results = await Task.WhenAll(registrations.Select(r => grains.GetGrain<INodeGrain>(r.NodeId).RegisterAsync(r.Inventory, r.ExpectedEpoch)));
        return TypedResults.Ok(registrations.Select((r, i) => Answer(r.NodeId, results[i])).ToArray());
    }

    private static NodeRegistrationResult Answer(string nodeId, RegistrationResult result) => result.Outcome switch
    {
        RegistrationOutcome.Registered => new(nodeId, true, null, null, result.Node?.Epoch ?? 0, result.Node?.Trust.ToReport()),
        RegistrationOutcome.StaleEpoch => new(nodeId, false, RegistrationRefusalCodes.StaleEpoch, "stale epoch", result.Node?.Epoch ?? 0, result.Node?.Trust.ToReport()),
        _ => new(nodeId, false, RegistrationRefusalCodes.UnknownSite, "unknown site", result.Node?.Epoch ?? 0, result.Node?.Trust.ToReport()),
    };

    // Validates the whole batch before any of it is applied, so a bad item changes nothing.
    private static List<(string NodeId, NodeInventory Inventory, long? ExpectedEpoch)> ValidateRegistrations(
        string siteId, IReadOnlyList<NodeRegistrationItem?> items, ValidationErrors errors)
    {
        var batch = new List<(string, NodeInventory, long?)>(items.Count);
        if (items.Count is 0 or > ApiLimits.MaxRegistrationBatch)
        {
            errors.Add("items", $"A batch holds 1 to {ApiLimits.MaxRegistrationBatch} nodes; this one holds {items.Count}.");
            return batch;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"items[{i}].";
            if (items[i] is not { } item)
            {
                errors.Add($"items[{i}]", "Must be a node registration object.");
                continue;
            }

            var id = item.NodeId is null ? null : RouteNames.NodeIdUnderSite(siteId, item.NodeId);
            errors.AddIf(id is null, $"{path}nodeId", $"Must be a node name or a node id of site '{siteId}': {NodeId.Rule}.");
            errors.AddIf(id is { } known && !seen.Add(known.ToString()), $"{path}nodeId", "The node appears twice in the batch.");
            var inventory = item.ToInventory(errors, path);
            if (id is { } nodeId && inventory is not null)
            {
                batch.Add((nodeId.ToString(), inventory, item.ExpectedEpoch));
            }
        }

        return batch;
    }

    private static async Task<IResult> ListNodesAsync(string siteId, IGrainFactory grains)
    {
        if (!await FleetLookup.SiteExistsAsync(grains, siteId))
        {
            return Problems.NotFound($"Site '{siteId}' does not exist.");
        }

        var facts = await grains.GetGrain<ISiteGrain>(siteId).GetNodeFactsAsync();
        var nodes = await Task.WhenAll(facts.Select(f => grains.GetGrain<INodeGrain>(f.NodeId).GetAsync()));
        return TypedResults.Ok(nodes.OfType<NodeView>().ToArray());
    }

    private static async Task<IResult> PostHeartbeatsAsync(
        string siteId, IReadOnlyList<HeartbeatReport?> items, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new ValidationErrors();
        var receivedAt = clock.GetUtcNow();
        var accepted = ValidateBatch(siteId, items, receivedAt, errors);
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        // One question to the site's in-memory index instead of reading the site: a node it does not know (or a site that
        // does not exist) is answered "unknown node" without waking a grain for the id.
        var site = grains.GetGrain<ISiteGrain>(siteId);
        var known = await site.KnownNodesAsync(accepted.Select(h => h.NodeId).ToArray());
        var answers = await Task.WhenAll(accepted.Select((h, i) => known[i]
            ? grains.GetGrain<INodeGrain>(h.NodeId).HeartbeatAsync(h.Epoch, h.Sample)
            : Task.FromResult(HeartbeatAnswer.Unknown)));

        // One report per batch for the site summary and the live utilization stream, of what the nodes accepted, each
        // sample at the time it was measured (a batch sent after an outage is not news from now).
        var utilization = accepted
            .Where((_, i) => answers[i].Refusal == HeartbeatRefusal.None)
            .Select(h => new NodeUtilization(h.NodeId, h.Sample with { At = h.SampledAt ?? receivedAt }))
            .ToArray();
        if (utilization.Length > 0)
        {
            _ = site.ReportUtilizationAsync(utilization);
        }

        return TypedResults.Ok(accepted.Select((h, i) => new HeartbeatVerdict(
            h.NodeId,
            answers[i].Refusal == HeartbeatRefusal.None,
            Code(answers[i].Refusal),
            Describe(answers[i].Refusal),
            answers[i].Trust.ToString(),
            answers[i].Replicas.Select(r => new Contracts.Http.ReplicaAssignment(r.TenantId, r.ModelId, r.PlacementEpoch)).ToArray())).ToArray());
    }

    // Validates the whole batch before any of it is applied, so a bad item changes nothing.
    private static List<(string NodeId, long Epoch, UtilizationSample Sample, DateTimeOffset? SampledAt)> ValidateBatch(
        string siteId, IReadOnlyList<HeartbeatReport?> items, DateTimeOffset now, ValidationErrors errors)
    {
        var batch = new List<(string, long, UtilizationSample, DateTimeOffset?)>(items.Count);
        if (items.Count is 0 or > ApiLimits.MaxHeartbeatBatch)
        {
            errors.Add("items", $"A batch holds 1 to {ApiLimits.MaxHeartbeatBatch} heartbeats; this one holds {items.Count}.");
            return batch;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"items[{i}].";
            if (items[i] is not { } item)
            {
                errors.Add($"items[{i}]", "Must be a heartbeat object.");
                continue;
            }

            var nodeIdValid = NodeId.TryParse(item.NodeId, out var nodeId);
            errors.AddIf(!nodeIdValid, $"{path}nodeId", $"Must be a node id: {NodeId.Rule}.");
            errors.AddIf(nodeIdValid && nodeId.SiteId != siteId, $"{path}nodeId", $"Node '{item.NodeId}' is not in site '{siteId}'.");
            errors.AddIf(nodeIdValid && !seen.Add(item.NodeId!), $"{path}nodeId", "The node appears twice in the batch.");
            errors.AddIf(item.Epoch is null or < 1, $"{path}epoch", "Required: the epoch the node's registration returned.");
            errors.AddIf(item.GpuUtilization is null, $"{path}gpuUtilization", "Required.");
            errors.AddIf(item.SampledAt > now + SampleClockSkew, $"{path}sampledAt", $"Must not be later than the server's clock by more than {SampleClockSkew.TotalSeconds:0} s.");
            var sample = new UtilizationSample(item.GpuUtilization ?? 0, item.GpuMemoryUsedGiB ?? 0, item.PowerWatts ?? 0, item.TokensPerSecond ?? 0, default);
            sample.Validate(errors, path);
            batch.Add((item.NodeId ?? string.Empty, item.Epoch ?? 0, sample, item.SampledAt));
        }

        return batch;
    }

    private static string? Code(HeartbeatRefusal refusal) => refusal switch
    {
        HeartbeatRefusal.None => null,
        HeartbeatRefusal.UnknownNode => HeartbeatRefusalCodes.UnknownNode,
        HeartbeatRefusal.StaleEpoch => HeartbeatRefusalCodes.StaleEpoch,
        HeartbeatRefusal.FutureEpoch => HeartbeatRefusalCodes.FutureEpoch,
        HeartbeatRefusal.MemoryExceedsInventory => HeartbeatRefusalCodes.MemoryExceedsInventory,
        _ => refusal.ToString(),
    };

    private static string? Describe(HeartbeatRefusal refusal) => refusal switch
    {
        HeartbeatRefusal.None => null,
        HeartbeatRefusal.UnknownNode => "unknown node",
        HeartbeatRefusal.StaleEpoch => "stale epoch",
        HeartbeatRefusal.FutureEpoch => "future epoch",
        HeartbeatRefusal.MemoryExceedsInventory => "memory exceeds inventory",
        _ => refusal.ToString(),
    };

    private static async Task<IResult> GetNodeAsync(string nodeId, IGrainFactory grains)
    {
        if (RouteNames.NodeIdFrom(nodeId) is not { } id)
        {
            return Problems.Invalid("nodeId", $"Must be a URL-encoded node id: {NodeId.Rule}.");
        }

        return await FleetLookup.NodeExistsAsync(grains, id) && await grains.GetGrain<INodeGrain>(id.ToString()).GetAsync() is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"Node '{id}' does not exist.");
    }
}
