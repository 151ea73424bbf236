using FactoryMesh.Contracts.Http;
using FactoryMesh.SiteAgent.Diagnostics;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// Counts every request the control plane answered, by route (<see cref="AgentCounters.CallsAnswered"/>): inside the
/// resilience pipeline, so each retried attempt that reached the server counts, which is what the server pays for.
/// </summary>
internal sealed class CallCountingHandler(AgentCounters counters) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        counters.CallAnswered(RouteOf(request));
        return response;
    }

    private static ControlPlaneRoute RouteOf(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        return path.EndsWith("/heartbeats", StringComparison.Ordinal) ? ControlPlaneRoute.Heartbeats
            : path.Contains("/attestation", StringComparison.Ordinal) ? ControlPlaneRoute.Attestation
            : path.StartsWith($"{ApiRoutes.Root}/sites/", StringComparison.Ordinal) && path.Contains("/nodes", StringComparison.Ordinal) && request.Method != HttpMethod.Get ? ControlPlaneRoute.Registration
            : ControlPlaneRoute.Other;
    }
}
