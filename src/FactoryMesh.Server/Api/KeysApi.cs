using System.Security.Claims;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Keys;
using FactoryMesh.Core.KeyRelease;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Hosting;
using FactoryMesh.Server.Security;
using FactoryMesh.Server.Telemetry;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.Server.Api;

/// <summary>Data keys for new artifacts, and attested key release.</summary>
public static class KeysApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tenants/{tenantId}/datakeys", NewDataKeyAsync).WithTags("Keys").RequireAuthorization(Policies.OperatorOrScheduler);
        app.MapPost("/nodes/{nodeId}/keys/{tenantId}/{modelId}", ReleaseAsync).WithTags("Keys").RequireAuthorization(Policies.SiteAgentOnly).RequireRateLimiting(RateLimits.KeyRelease);
        return app;
    }

    // The plaintext key appears in this one answer and nowhere else: never stored, never logged, not cached.
    private static async Task<IResult> NewDataKeyAsync(string tenantId, HttpContext http, IGrainFactory grains, IKeyVault vault)
    {
        if (await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() is null)
        {
            return Problems.NotFound($"Tenant '{tenantId}' does not exist.");
        }

        using var dataKey = await vault.GenerateDataKeyAsync(tenantId);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new IssuedDataKey(Convert.ToBase64String(dataKey.DataKey.Span), dataKey.WrappedKey));
    }

    private static async Task<IResult> ReleaseAsync(string nodeId, string tenantId, string modelId, KeyReleaseRequest body, ClaimsPrincipal caller, HttpContext http, IGrainFactory grains, FleetMetrics metrics)
    {
        var errors = new ValidationErrors();
        var id = RouteNames.NodeIdFrom(nodeId);
        errors.AddIf(id is null, "nodeId", $"Must be a URL-encoded node id: {NodeId.Rule}.");
        errors.AddIf(body.TeePublicKey is not { ValueKind: System.Text.Json.JsonValueKind.Object }, "teePublicKey", "Required: the TEE's EC P-384 public key as a JWK object.");
        errors.AddIf(body.PlacementEpoch is null or < 1, "placementEpoch", "Required: the placement epoch of the node's assignment.");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var result = await grains.GetGrain<IKeyBrokerGrain>(0).ReleaseAsync(
            id!.Value.ToString(), tenantId, modelId, body.TeePublicKey!.Value.GetRawText(), body.PlacementEpoch!.Value, caller.FindFirstValue(FleetClaims.Subject) ?? "unknown");
        metrics.RecordKeyDecision(result.Refusal == KeyRefusal.None ? "Released" : result.Refusal.ToString());
        if (result.Refusal != KeyRefusal.None)
        {
            return TypedResults.Problem(
                result.Detail,
                statusCode: StatusCodes.Status403Forbidden,
                title: "The key was not released.",
                extensions: new Dictionary<string, object?> { [ProblemExtensions.Refusal] = result.Refusal.ToString(), [ProblemExtensions.PlacementEpoch] = result.PlacementEpoch });
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ReleasedKey(result.Jwe!, ReleasedKey.KeyManagement, ReleasedKey.ContentEncryption, result.PlacementEpoch));
    }
}
