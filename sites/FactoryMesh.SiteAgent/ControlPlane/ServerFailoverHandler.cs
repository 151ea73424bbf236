namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// Sends each attempt to the silo in use, and when that silo cannot be reached (connection refused or reset: it is
/// restarting or gone) makes the next one in <c>--server</c> the silo in use, so the resilience pipeline's retry of
/// the same call goes there. Innermost, so every retried attempt is routed afresh. One silo listed: nothing changes.
/// </summary>
internal sealed class ServerFailoverHandler(ControlPlaneServers servers) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (servers.Count == 1 || request.RequestUri is not { } uri)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var index = servers.CurrentIndex;
        var server = servers.At(index);
        request.RequestUri = new UriBuilder(uri) { Scheme = server.Scheme, Host = server.Host, Port = server.Port }.Uri;
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            servers.MoveOnFrom(index);
            throw;
        }
    }
}
