using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Server.Security;

/// <summary>Issues the server's bearer tokens (JWT, HS256) and describes how to validate them.</summary>
public sealed class TokenIssuer
{
    /// <summary>The <c>iss</c> and <c>aud</c> of every token: tokens from elsewhere are refused.</summary>
    public const string Issuer = "factorymesh";

    private readonly SymmetricSecurityKey _key;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Creates an issuer signing with <paramref name="key"/>.</summary>
    public TokenIssuer(byte[] key, TimeProvider clock)
    {
        _key = new SymmetricSecurityKey(key);
        _clock = clock;
    }

    /// <summary>What the bearer handler checks: signature, issuer, audience and lifetime.</summary>
    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Issuer,
        IssuerSigningKey = _key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RoleClaimType = FleetClaims.Role,
        NameClaimType = FleetClaims.Subject,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <summary>A token for <paramref name="subject"/> in <paramref name="role"/>, scoped to a site or tenant where the role needs one.</summary>
    public IssuedToken Issue(string subject, string role, string? site, string? tenant, TimeSpan lifetime)
    {
        var now = _clock.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            [FleetClaims.Subject] = subject,
            [FleetClaims.Role] = role,
            ["jti"] = Guid.NewGuid().ToString("N"),
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
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, role, site, tenant, expires);
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
