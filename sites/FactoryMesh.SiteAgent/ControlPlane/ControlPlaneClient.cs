using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FactoryMesh.Contracts.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// The control plane's REST API over the agent's HTTP client, whose pipeline carries the token and retries with
/// backoff and jitter. Turns transport failures into <see cref="ControlPlaneUnreachableException"/> and refusals into
/// <see cref="ControlPlaneRefusedException"/>, so callers decide between "wait and retry" and "this will not work".
/// </summary>
internal sealed class ControlPlaneClient(HttpClient http) : IControlPlane
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<NodeRegistrationResult>> RegisterNodesAsync(string siteId, IReadOnlyList<NodeRegistrationItem> batch, CancellationToken cancellationToken)
    {
        var path = ApiRoutes.SiteNodes(siteId);
        using var response = await SendAsync(() => http.PostAsJsonAsync(Relative(path), batch, ControlPlaneJson.Options, cancellationToken), path, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"registering {batch.Count} nodes of {siteId}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<NodeRegistrationResult[]>(response, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HeartbeatVerdict>> SendHeartbeatsAsync(string siteId, IReadOnlyList<HeartbeatReport> batch, CancellationToken cancellationToken)
    {
        var path = ApiRoutes.Heartbeats(siteId);
        using var response = await SendAsync(() => http.PostAsJsonAsync(Relative(path), batch, ControlPlaneJson.Options, cancellationToken), path, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"heartbeats of site {siteId}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<HeartbeatVerdict[]>(response, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AttestationChallenge> ChallengeAsync(string nodeId, CancellationToken cancellationToken)
    {
        var path = ApiRoutes.Challenge(nodeId);
        using var response = await SendAsync(() => http.PostAsync(Relative(path), content: null, cancellationToken), path, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"a challenge for {nodeId}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<AttestationChallenge>(response, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AppraisalResult> SubmitEvidenceAsync(string nodeId, EvidenceSubmission submission, CancellationToken cancellationToken)
    {
        var path = EvidencePath(nodeId);
        using var response = await SendAsync(() => http.PostAsJsonAsync(Relative(path), submission, ControlPlaneJson.Options, cancellationToken), path, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            return new AppraisalResult(false, problem?.Trust, problem?.Check, problem?.Detail);
        }

        await EnsureSuccessAsync(response, $"evidence of {nodeId}", cancellationToken).ConfigureAwait(false);
        return new AppraisalResult(true, await ReadAsync<TrustReport>(response, path, cancellationToken).ConfigureAwait(false), null, null);
    }

    /// <inheritdoc />
    public async Task<ReleasedKey> ReleaseKeyAsync(string nodeId, string tenantId, string modelId, KeyReleaseRequest request, CancellationToken cancellationToken)
    {
        var path = ApiRoutes.NodeKey(nodeId, tenantId, modelId);
        using var response = await SendAsync(() => http.PostAsJsonAsync(Relative(path), request, ControlPlaneJson.Options, cancellationToken), path, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"the key of {tenantId}/{modelId} for {nodeId}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<ReleasedKey>(response, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IssuedToken> RefreshTokenAsync(CancellationToken cancellationToken)
    {
        const string Path = ApiRoutes.TokenRefresh;
        using var response = await SendAsync(() => http.PostAsync(Relative(Path), content: null, cancellationToken), Path, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "refreshing the agent token", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<IssuedToken>(response, Path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True for the evidence submission: its nonce is single use, so the HTTP pipeline must never resend it (a resent
    /// submission would be judged a replay and untrust the node); the attestation loop starts over with a new challenge.
    /// </summary>
    public static bool IsEvidenceSubmission(HttpRequestMessage? request) =>
        request is { Method.Method: "POST", RequestUri.AbsolutePath: { } path } && path.StartsWith($"{ApiRoutes.Root}/nodes/", StringComparison.Ordinal) && path.EndsWith("/attestation", StringComparison.Ordinal);

    private static string EvidencePath(string nodeId) => ApiRoutes.Attestation(nodeId);

    private static Uri Relative(string path) => new(path, UriKind.Relative);

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await send().ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new ControlPlaneUnreachableException($"{path}: {exception.Message}", exception);
        }
        catch (BrokenCircuitException exception)
        {
            throw new ControlPlaneUnreachableException($"{path}: the circuit to the control plane is open after repeated failures", exception);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new ControlPlaneUnreachableException($"{path}: no answer in time", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControlPlaneUnreachableException($"{path}: no answer in time", exception);
        }

        // A server error that outlived the retries means the control plane is not serving: wait it out.
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new ControlPlaneUnreachableException($"{path}: the control plane answered {(int)status} {status}");
        }

        return response;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
        throw new ControlPlaneRefusedException(response.StatusCode, $"The control plane refused {what} ({(int)response.StatusCode}): {problem?.Describe() ?? response.ReasonPhrase}");
    }

    private static async Task<ProblemAnswer?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ProblemAnswer>(ControlPlaneJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null; // not JSON at all
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ControlPlaneJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new ControlPlaneRefusedException(response.StatusCode, $"{path}: the control plane answered with an empty body");
        }
        catch (JsonException exception)
        {
            throw new ControlPlaneRefusedException(response.StatusCode, $"{path}: the control plane's answer is not what this agent understands: {exception.Message}");
        }
    }
}
