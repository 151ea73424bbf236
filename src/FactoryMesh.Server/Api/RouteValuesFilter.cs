using FactoryMesh.Contracts.Identity;
using FactoryMesh.Core.Validation;

namespace FactoryMesh.Server.Api;

/// <summary>
/// Validates the ids a route carries before any handler runs, in one place for the whole API: <c>siteId</c>,
/// <c>tenantId</c> and <c>modelId</c> must be resource names, a <c>nodeId</c> a URL-encoded node id (under a site: the
/// node's name or an id of that site). Every bad one is named in one 400 problem; handlers then read valid ids only.
/// </summary>
public sealed class RouteValuesFilter : IEndpointFilter
{
    private static readonly string[] Names = ["siteId", "tenantId", "modelId"];

    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var values = context.HttpContext.Request.RouteValues;
        var errors = new ValidationErrors();
        foreach (var name in Names)
        {
            errors.AddIf(values.TryGetValue(name, out var value) && !ResourceName.IsValid(value as string), name, ResourceName.Rule);
        }

        if (values.TryGetValue("nodeId", out var node) && node is string nodeId)
        {
            if (values.TryGetValue("siteId", out var site) && site is string siteId)
            {
                errors.AddIf(ResourceName.IsValid(siteId) && RouteNames.NodeIdUnderSite(siteId, nodeId) is null, "nodeId", $"Must be a node name or a node id of site '{siteId}': {NodeId.Rule}.");
            }
            else
            {
                errors.AddIf(RouteNames.NodeIdFrom(nodeId) is null, "nodeId", $"Must be a URL-encoded node id: {NodeId.Rule}.");
            }
        }

        return errors.IsValid ? next(context) : ValueTask.FromResult<object?>(Problems.Invalid(errors));
    }
}
