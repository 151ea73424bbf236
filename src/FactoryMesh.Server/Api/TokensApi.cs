using System.Security.Claims;
using FactoryMesh.Core.Audit;
using FactoryMesh.Core.Validation;
using FactoryMesh.Grains.Abstractions;
using FactoryMesh.Server.Hosting;
using FactoryMesh.Server.Security;

namespace FactoryMesh.Server.Api;

/// <summary>
/// Tokens: issuance for agents, schedulers, viewers and further operators, refresh, revocation and signing-key
/// rotation: <c>/api/v1/tokens</c>.
/// </summary>
public static class TokensApi
{
    /// <summary>The lifetime of a token when the request states none.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// The lifetime of an agent token when the request states none: short, since agents refresh theirs at half life,
    /// so a token copied off a site machine is worth an hour unless the thief keeps refreshing it (revocation ends that).
    /// </summary>
    public static readonly TimeSpan DefaultAgentLifetime = TimeSpan.FromHours(1);

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/tokens").WithTags("Tokens").RequireRateLimiting(RateLimits.Tokens);
        tokens.MapPost("/", IssueToken).RequireAuthorization(Policies.Operator);
        tokens.MapPost("/refresh", Refresh);
        tokens.MapPost("/{tokenId}/revoke", RevokeAsync).RequireAuthorization(Policies.Operator);
        tokens.MapPost("/keys/rotate", RotateKeyAsync).RequireAuthorization(Policies.Operator);
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
        var lifetime = body.LifetimeHours is { } hours ? TimeSpan.FromHours(hours) : body.Role == Roles.Agent ? DefaultAgentLifetime : DefaultLifetime;
        return TypedResults.Ok(issuer.Issue(subject, body.Role!, body.Site, body.Tenant, lifetime));
    }

    // The presented token's own lifetime again, from now: refreshing never lengthens what the operator granted.
    private static IResult Refresh(ClaimsPrincipal caller, TokenIssuer issuer)
    {
        var issuedAt = long.TryParse(caller.FindFirstValue("iat"), out var iat) ? iat : (long?)null;
        var expiresAt = long.TryParse(caller.FindFirstValue("exp"), out var exp) ? exp : (long?)null;
        if (issuedAt is null || expiresAt is null || expiresAt <= issuedAt)
        {
            return Problems.Invalid("token", "The token states no issue and expiry time, so it cannot be refreshed.");
        }

        return TypedResults.Ok(issuer.Refresh(caller, TimeSpan.FromSeconds(expiresAt.Value - issuedAt.Value)));
    }

    private static async Task<IResult> RevokeAsync(string tokenId, RevocationReasonBody body, ClaimsPrincipal caller, IGrainFactory grains, RevokedTokens revoked, TimeProvider clock)
    {
        var errors = new ValidationErrors();
        errors.AddIf(tokenId.Length is 0 or > 64 || !tokenId.All(c => char.IsAsciiHexDigitLower(c) || c == '.'), "tokenId", "Must be a token id as issued: lower-case hex, '.' between family and refresh.");
        errors.AddIf(string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > AttestationApi.MaxReasonLength, "reason", $"Required, at most {AttestationApi.MaxReasonLength} characters.");
        if (!errors.IsValid)
        {
            return Problems.Invalid(errors);
        }

        var family = FleetClaims.FamilyOfId(tokenId);
        var until = clock.GetUtcNow() + TokenSigningKeys.RetiredKeyLifetime;
        await grains.GetGrain<ITokenRevocationGrain>(ITokenRevocationGrain.Key).RevokeAsync(family, until, body.Reason!, caller.FindFirstValue(FleetClaims.Subject) ?? "unknown");
        revoked.Add(family);
        return TypedResults.Ok(new TokenRevocation(family, until));
    }

    private static async Task<IResult> RotateKeyAsync(KeyRotationBody? body, ClaimsPrincipal caller, TokenSigningKeys keys, IGrainFactory grains, TimeProvider clock)
    {
        var retireEarlier = body?.RetireEarlierKeys ?? false;
        var keyId = keys.Rotate(retireEarlier);
        await grains.GetGrain<IAuditLedgerGrain>(IAuditLedgerGrain.Key).AppendAsync(new AuditEntry(
            clock.GetUtcNow(), AuditKinds.TokenKeyRotation, null, caller.FindFirstValue(FleetClaims.Subject) ?? "unknown", "rotated",
            retireEarlier ? $"new signing key {keyId}; every earlier key retired at once" : $"new signing key {keyId}; earlier keys verify until their tokens expire"));
        return TypedResults.Ok(new KeyRotation(keyId, retireEarlier));
    }
}

/// <summary>Body of <c>POST /api/v1/tokens/{tokenId}/revoke</c>.</summary>
/// <param name="Reason">Why, for the audit log.</param>
public sealed record RevocationReasonBody(string? Reason);

/// <summary>Body of <c>POST /api/v1/tokens/keys/rotate</c>.</summary>
/// <param name="RetireEarlierKeys">True to stop every earlier key at once (a key is feared stolen): all their tokens end.</param>
public sealed record KeyRotationBody(bool? RetireEarlierKeys);

/// <summary>A revoked token family.</summary>
/// <param name="Family">The family (the first token's id); every token refreshed from it is revoked too.</param>
/// <param name="RevokedUntil">Until when the denylist keeps it: past the last moment one of its tokens could be valid.</param>
public sealed record TokenRevocation(string Family, DateTimeOffset RevokedUntil);

/// <summary>The outcome of a signing-key rotation.</summary>
/// <param name="KeyId">The new signing key's id.</param>
/// <param name="EarlierKeysRetired">True when earlier keys stopped verifying at once.</param>
public sealed record KeyRotation(string KeyId, bool EarlierKeysRetired);
