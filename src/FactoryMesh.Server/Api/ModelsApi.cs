using System.Security.Claims;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Security;
using FactoryMesh.Server.Telemetry;

namespace FactoryMesh.Server.Api;

/// <summary>Models and their placement: <c>/api/v1/tenants/{tenantId}/models</c>.</summary>
public static class ModelsApi
{
    private const int DefaultExplainLimit = 20;
    private const int MaxExplainLimit = 1000;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tenants/{tenantId}/models", ListModelsAsync).WithTags("Models").RequireAuthorization(Policies.TenantReader);
        var models = app.MapGroup("/tenants/{tenantId}/models/{modelId}").WithTags("Models");
        models.MapPut("/", PutModelAsync).RequireAuthorization(Policies.OperatorOrScheduler);
        models.MapGet("/", GetModelAsync).RequireAuthorization(Policies.TenantReader);
        models.MapPost("/placement", PlaceAsync).RequireAuthorization(Policies.OperatorOrScheduler);
        models.MapGet("/placement/explain", ExplainAsync).RequireAuthorization(Policies.OperatorOrScheduler);
        return app;
    }

    private static async Task<IResult> PutModelAsync(string tenantId, string modelId, ModelRequest body, IGrainFactory grains)
    {
        var errors = Names(tenantId, modelId);
        if (body.ToModel(errors) is not { } model || !errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var (spec, artifact) = model;

        if (await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() is null)
        {
            return Problems.NotFound($"Tenant '{tenantId}' does not exist.");
        }

        return TypedResults.Ok(await grains.GetGrain<IModelGrain>($"{tenantId}/{modelId}").DefineAsync(spec, artifact));
    }

    // The tenant's models with their replicas and economics, by id: what its dashboard starts from.
    private static async Task<IResult> ListModelsAsync(string tenantId, IGrainFactory grains)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        if (await tenant.GetAsync() is null)
        {
            return Problems.NotFound($"Tenant '{tenantId}' does not exist.");
        }

        var ids = await tenant.ListModelsAsync();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IModelGrain>($"{tenantId}/{id}").GetAsync()));
        return TypedResults.Ok(views.OfType<ModelView>().OrderBy(v => v.ModelId, StringComparer.Ordinal).ToArray());
    }

    private static async Task<IResult> GetModelAsync(string tenantId, string modelId, ClaimsPrincipal caller, IGrainFactory grains)
    {
        var errors = Names(tenantId, modelId);
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        return await grains.GetGrain<IModelGrain>($"{tenantId}/{modelId}").GetAsync() is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"Model '{tenantId}/{modelId}' does not exist.");
    }

    private static async Task<IResult> ExplainAsync(string tenantId, string modelId, int? limit, IGrainFactory grains)
    {
        var errors = Names(tenantId, modelId);
        errors.AddIf(limit is < 1 or > MaxExplainLimit, "limit", $"Must be between 1 and {MaxExplainLimit}.");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var model = await grains.GetGrain<IModelGrain>($"{tenantId}/{modelId}").GetAsync();
        var tenant = await grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
        if (model is null || tenant is null)
        {
            return Problems.NotFound($"Model '{tenantId}/{modelId}' or its tenant does not exist.");
        }

        var explanation = await grains.GetGrain<ISchedulerGrain>(0).ExplainAsync(model.Spec, tenant.Policy);
        var take = limit ?? DefaultExplainLimit;
        var chosen = explanation.Decision.Replicas.Select(r => r.NodeId).ToHashSet(StringComparer.Ordinal);
        var current = model.Replicas.Select(r => r.NodeId).ToHashSet(StringComparer.Ordinal);
        var excluded = explanation.Decision.Excluded;
        return TypedResults.Ok(new PlacementExplanationAnswer(
            tenantId,
            modelId,
            [.. current.Order(StringComparer.Ordinal)],
            explanation.Ranked.Count,
            explanation.Ranked.Take(take).Select(c => new ExplainedCandidate(
                c.NodeId, c.SiteId, c.Economics.GpusPerReplica, c.Economics.CostUsdPerHour, c.Economics.CostUsdPerMillionTokens,
                c.Economics.JoulesPerToken, c.Economics.GramsCo2PerToken, c.Objective, chosen.Contains(c.NodeId), current.Contains(c.NodeId))).ToArray(),
            excluded.Count,
            excluded.GroupBy(e => e.Reason.ToString()).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            excluded.Take(take).Select(e => new ExclusionAnswer(e.NodeId, e.Reason.ToString(), e.Detail)).ToArray(),
            explanation.Decision.BindingConstraints,
            explanation.Decision.Mode));
    }

    private static async Task<IResult> PlaceAsync(string tenantId, string modelId, ClaimsPrincipal caller, IGrainFactory grains, FleetMetrics metrics)
    {
        var errors = Names(tenantId, modelId);
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await grains.GetGrain<IModelGrain>($"{tenantId}/{modelId}").PlaceAsync(caller.FindFirstValue(FleetClaims.Subject) ?? "unknown");
        metrics.RecordPlacement("model", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (outcome.Model is not { } model)
        {
            return Problems.NotFound($"Model '{tenantId}/{modelId}' or its tenant does not exist.");
        }

        var answer = new PlacementAnswer(
            model.Status,
            model.PlacementEpoch,
            model.Replicas,
            model.TotalCostUsdPerHour,
            outcome.Decision.Excluded.Select(e => new ExclusionAnswer(e.NodeId, e.Reason.ToString(), e.Detail)).ToArray(),
            outcome.Decision.BindingConstraints,
            outcome.Decision.Mode);
        if (model.Replicas.Count == 0)
        {
            return TypedResults.Problem(
                string.Join("; ", outcome.Decision.BindingConstraints),
                statusCode: StatusCodes.Status409Conflict,
                title: "No feasible placement exists.",
                extensions: new Dictionary<string, object?> { ["bindingConstraints"] = answer.BindingConstraints, ["excluded"] = answer.Excluded });
        }

        return TypedResults.Ok(answer);
    }

    private static ValidationErrors Names(string tenantId, string modelId)
    {
        var errors = new ValidationErrors();
        return errors;
    }
}

/// <summary>What <c>POST …/placement</c> answers.</summary>
/// <param name="Status"><c>Placed</c> or <c>Degraded</c> (fewer replicas than asked fit; see <paramref name="BindingConstraints"/>).</param>
/// <param name="PlacementEpoch">The model's placement epoch now.</param>
/// <param name="Replicas">Every replica, with its cost and energy per token.</param>
/// <param name="TotalCostUsdPerHour">What they cost together.</param>
/// <param name="Excluded">Every node not chosen in this run, and why.</param>
/// <param name="BindingConstraints">Why fewer replicas than asked were placed, if so.</param>
/// <param name="Mode"><c>exact</c> or <c>heuristic</c>.</param>
public sealed record PlacementAnswer(
    string Status,
    long PlacementEpoch,
    IReadOnlyList<PlacedReplica> Replicas,
    double TotalCostUsdPerHour,
    IReadOnlyList<ExclusionAnswer> Excluded,
    IReadOnlyList<string> BindingConstraints,
    string Mode);

/// <summary>A node not chosen.</summary>
public sealed record ExclusionAnswer(string NodeId, string Reason, string Detail);
