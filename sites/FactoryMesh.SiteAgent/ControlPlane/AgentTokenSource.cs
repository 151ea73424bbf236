using FactoryMesh.SiteAgent.Configuration;
using Microsoft.Extensions.Options;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// The agent's bearer token: given directly, or read from a file and read again whenever the file changes, so an
/// operator can rotate it without restarting the agent; or the one the agent last refreshed it into, which is written
/// back to the token file (0600) so a restart starts from it. The token is never logged.
/// </summary>
internal sealed class AgentTokenSource(IOptions<AgentOptions> options)
{
    private readonly Lock _gate = new();
    private string? _cached;
    private DateTime _cachedWriteTime;
    private string? _refreshed;

    /// <summary>The current token.</summary>
    public string Current()
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.Token))
        {
            return (_refreshed ?? settings.Token).Trim();
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

    /// <summary>Makes <paramref name="token"/> (a refresh of the current one) the token, in the token file when there is one.</summary>
    public void Replace(string token)
    {
        var settings = options.Value;
        lock (_gate)
        {
            if (!string.IsNullOrWhiteSpace(settings.Token) || settings.TokenFile is not { } path)
            {
                _refreshed = token;
                return;
            }

            Storage.AgentFiles.WriteSecret(path, token + "\n");
            _cached = token;
            _cachedWriteTime = File.GetLastWriteTimeUtc(path);
        }
    }
}
