using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// The agent's bearer token: given directly, or read from a file and read again whenever the file changes, so an
/// operator can rotate it without restarting the agent. The token is never logged.
/// </summary>
internal sealed class AgentTokenSource(IOptions<AgentOptions> options)
{
    private readonly Lock _gate = new();
    private string? _cached;
    private DateTime _cachedWriteTime;

    /// <summary>The current token.</summary>
    public string Current()
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.Token))
        {
            return settings.Token.Trim();
        }

        var path = settings.TokenFile ?? throw new InvalidOperationException("No agent token is configured.");
        lock (_gate)
        {
            var writeTime = File.GetLastWriteTimeUtc(path);
            if (_cached is null || writeTime != _cachedWriteTime)
            {
                try
                {
                    var token = File.ReadAllText(path).Trim();
                    if (token.Length > 0)
                    {
                        _cached = token;
                        _cachedWriteTime = writeTime;
                    }
                }
                catch (IOException) when (_cached is not null)
                {
                    // being rewritten: keep the last good token and read it again on the next call
                }
            }

            return _cached ?? throw new InvalidOperationException($"The token file '{path}' is empty.");
        }
    }
}
