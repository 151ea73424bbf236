using System.Security.Claims;
using FactoryMesh.Contracts.Http;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Security;
using FactoryMesh.Server.Telemetry;

namespace FactoryMesh.Server.Api;

/// <summary>Joint placement of many models: <c>POST /api/v1/placement</c>.</summary>
public static class PlacementApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapPlacementApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/placement", PlanAsync).WithTags("Placement").RequireAuthorization(Policies.OperatorOrScheduler);
        return app;
    }

    private static async Task<IResult> PlanAsync(FleetPlacementBody? body, ClaimsPrincipal caller, IGrainFactory grains, FleetMetrics metrics)
    {
        body ??= new FleetPlacementBody();
        var errors = new ValidationErrors();
        errors.AddIf(body.TenantId is not null && !ResourceName.IsValid(body.TenantId), "tenantId", $"Must be a tenant id: {ResourceName.Rule}.");
        errors.AddIf(body.MaxMoves is < 0 or > FleetPlacementBody.MaxMovesLimit, "maxMoves", $"Must be between 0 and {FleetPlacementBody.MaxMovesLimit}.");
        var seconds = body.TimeLimitSeconds ?? FleetPlacementBody.DefaultTimeLimitSeconds;
        errors.AddIf(!double.IsFinite(seconds) || seconds < FleetPlacementBody.MinTimeLimitSeconds || seconds > FleetPlacementBody.MaxTimeLimitSeconds,
            "timeLimitSeconds", $"Must be between {FleetPlacementBody.MinTimeLimitSeconds} and {FleetPlacementBody.MaxTimeLimitSeconds}.");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        if (body.TenantId is { } tenantId && await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() is null)
        {
            return Problems.NotFound($"Tenant '{tenantId}' does not exist.");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await grains.GetGrain<IFleetPlannerGrain>(IFleetPlannerGrain.Key).PlanAsync(new FleetPlanRequest(
            body.TenantId, body.DryRun ?? false, body.MaxMoves, TimeSpan.FromSeconds(seconds), caller.FindFirstValue(FleetClaims.Subject) ?? "unknown"));
        metrics.RecordPlacement("fleet", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return TypedResults.Ok(outcome);
    }
}
