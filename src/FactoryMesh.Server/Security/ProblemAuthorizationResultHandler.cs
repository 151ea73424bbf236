using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace FactoryMesh.Server.Security;

/// <summary>
/// Answers a refused authorization as problem details that say why, when the handler that refused said (a route's
/// site or tenant is out of the token's scope); everything else goes the framework's way (401 challenge, generic 403).
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message is { Length: > 0 } reason)
        {
            await Results.Problem(reason, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.").ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
