using System.Security.Claims;
using FactoryMesh.Core.Validation;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Api;

/// <summary>Token issuance for agents, schedulers, viewers and further operators: <c>/api/v1/tokens</c>.</summary>
public static class TokensApi
{
    /// <summary>The lifetime of a token when the request states none.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/tokens", IssueToken).WithTags("Tokens").RequireAuthorization(Policies.Operator);
        return app;
    }

    private static IResult IssueToken(TokenRequest body, ClaimsPrincipal caller, TokenIssuer issuer)
    {
        var errors = new ValidationErrors();
        body.Validate(errors);
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var subject = body.Subject ?? $"{body.Role}-issued-by-{caller.FindFirstValue(FleetClaims.Subject)}";
        var lifetime = body.LifetimeHours is { } hours ? TimeSpan.FromHours(hours) : DefaultLifetime;
        return TypedResults.Ok(issuer.Issue(subject, body.Role!, body.Site, body.Tenant, lifetime));
    }
}
