using FactoryMesh.Server.Security;
using FactoryMesh.Storage;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace FactoryMesh.Server.Hosting;

/// <summary>JWT bearer authentication and the role policies, with the signing key from the data folder.</summary>
public static class ApiSecurityExtensions
{
    /// <summary>
    /// Adds authentication (every caller), the policies and the operator-token bootstrap; rotated token keys are kept
    /// in <paramref name="clusterSecrets"/> when the cluster shares its secrets, else in the data folder.
    /// </summary>
    public static WebApplicationBuilder AddFactoryMeshSecurity(this WebApplicationBuilder builder, ServerKeys keys, string dataDirectory, ClusterSecrets? clusterSecrets)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        ITokenKeyRingStore ring = clusterSecrets is null ? new TokenKeyRingFile(dataDirectory) : new TokenKeyRingClusterStore(clusterSecrets);
        builder.Services.AddSingleton(services => new TokenSigningKeys(
            ring, keys.Tokens, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<TokenSigningKeys>>()));
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<RevokedTokens>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RevokedTokens>());
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer, RevokedTokens>((bearer, issuer, revoked) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = issuer.ValidationParameters;
                bearer.Events = new JwtBearerEvents
                {
                    // The Orleans Dashboard's page cannot send a bearer header: its session's token comes in a cookie
                    // scoped to its path (and is judged like any other token).
                    OnMessageReceived = context =>
                    {
                        context.Token ??= Telemetry.OrleansDashboardExtensions.SessionToken(context.Request);
                        return Task.CompletedTask;
                    },
                    // A valid signature is not enough: a revoked family's tokens are refused until they expire.
                    OnTokenValidated = context =>
                    {
                        if (context.Principal is not { } principal || revoked.IsRevoked(FleetClaims.FamilyOf(principal)))
                        {
                            context.Fail("The token was revoked.");
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Operator, policy => policy.RequireRole(Roles.Operator))
            .AddPolicy(Policies.OperatorOrScheduler, policy => policy.RequireRole(Roles.Operator, Roles.Scheduler))
            .AddPolicy(Policies.MetricsReader, policy => policy.RequireRole(Roles.Operator, Roles.Metrics))
            .AddPolicy(Policies.SiteAgent, policy => policy.RequireAuthenticatedUser().AddRequirements(new RouteScopeRequirement(RouteScope.SiteAgent)))
            .AddPolicy(Policies.SiteAgentOnly, policy => policy.RequireAuthenticatedUser().AddRequirements(new RouteScopeRequirement(RouteScope.SiteAgentOnly)))
            .AddPolicy(Policies.SiteReader, policy => policy.RequireAuthenticatedUser().AddRequirements(new RouteScopeRequirement(RouteScope.SiteReader)))
            .AddPolicy(Policies.TenantReader, policy => policy.RequireAuthenticatedUser().AddRequirements(new RouteScopeRequirement(RouteScope.TenantReader)));
        builder.Services.AddSingleton<RefusalAuditThrottle>();
        builder.Services.AddSingleton<IAuthorizationHandler, RouteScopeHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddHostedService<OperatorTokenBootstrap>();
        return builder;
    }
}
