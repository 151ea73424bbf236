using System.Security.Claims;
using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Api;

/// <summary>Tenants and their policies: <c>/api/v1/tenants</c>.</summary>
public static class TenantsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapPut("/{tenantId}", PutTenantAsync).RequireAuthorization(Policies.Operator);
        tenants.MapGet("/", ListTenantsAsync).RequireAuthorization(Policies.OperatorOrScheduler);
        tenants.MapGet("/{tenantId}", GetTenantAsync).RequireAuthorization(Policies.TenantReader);
        return app;
    }

    private static async Task<IResult> PutTenantAsync(string tenantId, TenantRequest body, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        var policy = body.ToPolicy(errors);
        if (policy is null || !errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var view = await grains.GetGrain<ITenantGrain>(tenantId).SetPolicyAsync(policy);

        // Placement obeyed the policy in force then; replicas the new policy forbids leave before this call answers.
        await grains.GetGrain<IComplianceGrain>(0).RescreenTenantAsync(tenantId, "tenant policy changed");
        return TypedResults.Ok(view);
    }

    private static async Task<IResult> ListTenantsAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IFleetDirectoryGrain>(IFleetDirectoryGrain.Key).ListTenantsAsync();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITenantGrain>(id).GetAsync()));
        return TypedResults.Ok(views.OfType<TenantView>().ToArray());
    }

    private static async Task<IResult> GetTenantAsync(string tenantId, ClaimsPrincipal caller, IGrainFactory grains)
    {
        return await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"Tenant '{tenantId}' does not exist.");
    }
}
