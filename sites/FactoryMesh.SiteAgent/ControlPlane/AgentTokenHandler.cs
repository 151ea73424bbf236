using System.Net.Http.Headers;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>Puts the agent's bearer token on every request (each retry included, so a rotated token is picked up).</summary>
internal sealed class AgentTokenHandler(AgentTokenSource tokens) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Current());
        return base.SendAsync(request, cancellationToken);
    }
}
