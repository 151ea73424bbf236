using FactoryMesh.Server.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace FactoryMesh.Server.Hosting;

/// <summary>JWT bearer authentication and the role policies, with the signing key from the data folder.</summary>
public static class ApiSecurityExtensions
{
    /// <summary>Adds authentication (every caller), the policies and the operator-token bootstrap.</summary>
    public static WebApplicationBuilder AddFactoryMeshSecurity(this WebApplicationBuilder builder, ServerKeys keys)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        builder.Services.AddSingleton(services => new TokenIssuer(keys.Tokens, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer>((bearer, issuer) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = issuer.ValidationParameters;
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Operator, policy => policy.RequireRole(Roles.Operator))
            .AddPolicy(Policies.OperatorOrScheduler, policy => policy.RequireRole(Roles.Operator, Roles.Scheduler));
        builder.Services.AddHostedService<OperatorTokenBootstrap>();
        return builder;
    }
}
