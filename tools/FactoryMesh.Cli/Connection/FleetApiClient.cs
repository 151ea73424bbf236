using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FactoryMesh.Cli.Connection;

/// <summary>
/// The REST API as fmctl uses it: JSON in, the server's JSON out as a <see cref="JsonElement"/> (printed as is,
/// so fmctl never drops a field the server adds), and every failure turned into a <see cref="CliFailure"/>.
/// </summary>
internal sealed class FleetApiClient : IDisposable
{
    /// <summary>How long fmctl waits for one answer; the API answers in milliseconds, so longer means trouble.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    // The API's conventions: camelCase, and an option left out rather than sent as null (null can mean "clear").
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    public FleetApiClient(Uri server, string token)
    {
        Server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = RequestTimeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The server, ending with '/'.</summary>
    public Uri Server { get; }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, body: null, cancellationToken);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>A POST with no body, for actions named by their path alone (<c>…/placement</c>, <c>…/datakeys</c>).</summary>
    public Task<JsonElement> PostAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body: null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: RequestJson);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw TransportFailure.Unreachable(Server, exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw TransportFailure.NoAnswer(Server, RequestTimeout, exception);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliFailure(ExitCodes.Refused, ProblemLine.Describe(response.StatusCode, text));
            }

            try
            {
                using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
                return document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new CliFailure(ExitCodes.Refused, $"{TransportFailure.Display(Server)} answered {path} with something other than JSON; is --server pointing at FactoryMesh?", exception);
            }
        }
    }
}
