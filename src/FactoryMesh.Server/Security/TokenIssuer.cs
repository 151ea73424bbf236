using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using FactoryMesh.Contracts.Http;

namespace FactoryMesh.Server.Security;

/// <summary>Issues the server's bearer tokens (JWT, HS256) and describes how to validate them.</summary>
public sealed class TokenIssuer
{
    /// <summary>The <c>iss</c> and <c>aud</c> of every token: tokens from elsewhere are refused.</summary>
    public const string Issuer = "factorymesh";

    private readonly TokenSigningKeys _keys;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Creates an issuer signing with the active key of <paramref name="keys"/>.</summary>
    public TokenIssuer(TokenSigningKeys keys, TimeProvider clock)
    {
        _keys = keys;
        _clock = clock;
    }

    /// <summary>What the bearer handler checks: signature, issuer, audience and lifetime.</summary>
    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Issuer,
        IssuerSigningKeyResolver = (_, _, keyId, _) => _keys.Resolve(keyId),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RoleClaimType = FleetClaims.Role,
        NameClaimType = FleetClaims.Subject,
        ClockSkew = ClockSkew,

        // The server's one clock decides, as it does for issuing: a token is never judged by another notion of now.
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            return (notBefore is not { } from || from <= now + ClockSkew) && expires is { } until && until > now - ClockSkew;
        },
    };

    /// <summary>How far a token's times may be off the server's clock.</summary>
    public static TimeSpan ClockSkew { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A token for <paramref name="subject"/> in <paramref name="role"/>, scoped to a site or tenant where the role needs
    /// one, of a new family or (when refreshed) of <paramref name="family"/>: its id is then <c>{family}.{n}</c>.
    /// </summary>
    public IssuedToken Issue(string subject, string role, string? site, string? tenant, TimeSpan lifetime, string? family = null)
    {
        var now = _clock.GetUtcNow();
        var id = family is null ? Guid.NewGuid().ToString("N") : $"{family}.{Guid.NewGuid():N}"[..(family.Length + 13)];
        var claims = new Dictionary<string, object>
        {
            [FleetClaims.Subject] = subject,
            [FleetClaims.Role] = role,
            [FleetClaims.TokenId] = id,
            [FleetClaims.Family] = family ?? id,
        };
        if (site is not null)
        {
            claims[FleetClaims.Site] = site;
        }

        if (tenant is not null)
        {
            claims[FleetClaims.Tenant] = tenant;
        }

        var expires = now + lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_keys.Active, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, id, role, site, tenant, expires);
    }

    /// <summary>
    /// A new token for the caller of a still valid token: the same subject, role, scope and family, and as long a
    /// lifetime as the presented token had, counted from now.
    /// </summary>
    public IssuedToken Refresh(System.Security.Claims.ClaimsPrincipal caller, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Issue(
            caller.FindFirst(FleetClaims.Subject)?.Value ?? "unknown",
            caller.FindFirst(FleetClaims.Role)?.Value ?? throw new InvalidOperationException("The token has no role."),
            caller.FindFirst(FleetClaims.Site)?.Value,
            caller.FindFirst(FleetClaims.Tenant)?.Value,
            lifetime,
            FleetClaims.FamilyOf(caller));
    }

    /// <summary>When <paramref name="token"/> expires, if it is one of ours and still valid; null otherwise.</summary>
    public async Task<DateTimeOffset?> ValidUntilAsync(string token)
    {
        var parameters = ValidationParameters;
        parameters.LifetimeValidator = (notBefore, expires, _, _) => expires is { } e && e > _clock.GetUtcNow().UtcDateTime;
        var result = await _handler.ValidateTokenAsync(token, parameters);
        return result.IsValid && result.SecurityToken is JsonWebToken jwt ? new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) : null;
    }
}
