using System.Text.Json.Serialization;
using FactoryMesh.Contracts.Hub;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace FactoryMesh.Server.Live;

/// <summary>Registers and maps the live fleet hub and its bridge.</summary>
public static class LiveUpdateExtensions
{
    /// <summary>The hub's path.</summary>
    public const string HubPath = FleetHubMethods.Path;

    /// <summary>Adds SignalR, the bridge (after the silo, so it can register), options, metrics and the hub's token handling.</summary>
    public static WebApplicationBuilder AddFactoryMeshLiveUpdates(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LiveUpdateOptions>()
            .BindConfiguration("FactoryMesh:Live")
            .Validate(o => o.UtilizationInterval > TimeSpan.Zero && o.BufferedBatches > 0, "FactoryMesh:Live values must be positive.")
            .ValidateOnStart();
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton<LiveMetrics>();
        builder.Services.AddSingleton<ViewerSubscriptions>();
        builder.Services.AddSingleton<FleetHubBridge>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FleetHubBridge>());

        // Browsers cannot set headers on WebSockets: the hub takes the bearer token from access_token instead.
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
        {
            bearer.Events ??= new JwtBearerEvents();
            var earlier = bearer.Events.OnMessageReceived; // kept: other paths take their token their own way
            bearer.Events.OnMessageReceived = async context =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments(HubPath, StringComparison.Ordinal)
                    && context.Request.Query.TryGetValue("access_token", out var token))
                {
                    context.Token = token;
                }

                await earlier(context);
            };
        });

        // Request-start logs carry the query string, and so the hub's access_token: these categories stay at
        // Warning whatever the configured default, so no token reaches a log line.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Connections", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);
        return builder;
    }

    /// <summary>Maps the hub; connections close when their token expires.</summary>
    public static IEndpointRouteBuilder MapFactoryMeshLiveUpdates(this IEndpointRouteBuilder app)
    {
        app.MapHub<FleetHub>(HubPath, options => options.CloseOnAuthenticationExpiration = true);
        return app;
    }
}
