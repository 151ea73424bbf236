using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The HTTP client to the control plane: token, retries with exponential backoff and jitter, timeouts, circuit breaker.</summary>
internal static class ControlPlaneHttpSetup
{
    /// <summary>Registers <see cref="IControlPlane"/> over a resilient HTTP client.</summary>
    public static IServiceCollection AddControlPlaneClient(this IServiceCollection services)
    {
        services.AddSingleton<AgentTokenSource>();
        services.AddTransient<AgentTokenHandler>();
        services.AddTransient<CallCountingHandler>();
        services.AddSingleton<ControlPlaneServers>(); // which silo is in use is the agent's, not a call's
        services.AddTransient<ServerFailoverHandler>();
        var client = services.AddHttpClient<IControlPlane, ControlPlaneClient>((provider, http) =>
        {
            http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<AgentOptions>>().Value.ServerUrls[0]);
            http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline's timeouts govern
        });
        client.AddStandardResilienceHandler(ConfigureResilience);
        client.AddHttpMessageHandler<AgentTokenHandler>(); // inside the pipeline: every attempt carries the current token
        client.AddHttpMessageHandler<CallCountingHandler>(); // and every attempt the server answered is counted
        client.AddHttpMessageHandler<ServerFailoverHandler>(); // innermost: each attempt goes to the silo in use
        return services;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        // Short first retries ride out a blip; the loops above retry for longer outages themselves, so one call never
        // blocks a heartbeat period for long.
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        var transient = options.Retry.ShouldHandle;
        options.Retry.ShouldHandle = arguments =>
            ControlPlaneClient.IsEvidenceSubmission(arguments.Context.GetRequestMessage()) ? PredicateResult.False() : transient(arguments);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
        // A 429 is a healthy control plane pacing this agent (per route): it must not open the circuit, which would stop
        // the heartbeats too while, say, a cold start's attestations wait their turn.
        var breaks = options.CircuitBreaker.ShouldHandle;
        options.CircuitBreaker.ShouldHandle = arguments =>
            arguments.Outcome.Result?.StatusCode == System.Net.HttpStatusCode.TooManyRequests ? PredicateResult.False() : breaks(arguments);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }
}
