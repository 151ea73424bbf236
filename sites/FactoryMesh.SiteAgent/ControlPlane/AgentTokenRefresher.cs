using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>
/// Keeps the agent's token alive: agent tokens are short (an hour by default), and once half of the current token's
/// life has passed it is exchanged for a new one of the same scope. A control plane that is away, or a refused refresh
/// (a revoked token), is logged and tried again on the next check; the token's own expiry is the limit.
/// </summary>
internal sealed partial class AgentTokenRefresher(AgentTokenSource tokens, IControlPlane controlPlane, TimeProvider time, ILogger<AgentTokenRefresher> logger)
    : BackgroundService
{
    /// <summary>How often the token's age is checked.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>Refreshes the token when half its life has passed; true when it did.</summary>
    public async Task<bool> RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (LifetimeOf(tokens.Current()) is not var (issuedAt, expiresAt) || time.GetUtcNow() < issuedAt + ((expiresAt - issuedAt) / 2))
        {
            return false;
        }

        try
        {
            var refreshed = await controlPlane.RefreshTokenAsync(cancellationToken).ConfigureAwait(false);
            tokens.Replace(refreshed.Token);
            LogRefreshed(refreshed.ExpiresAt);
            return true;
        }
        catch (Exception exception) when (exception is ControlPlaneUnreachableException or ControlPlaneRefusedException)
        {
            LogRefreshFailed(expiresAt, exception.Message);
            return false;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        do
        {
            await RefreshIfDueAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    // The token's iat and exp, read without verifying it (the control plane does that); null for a token that is not a JWT.
    private static (DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)? LifetimeOf(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.TryGetProperty("iat", out var iat) && payload.RootElement.TryGetProperty("exp", out var exp)
                ? (DateTimeOffset.FromUnixTimeSeconds(iat.GetInt64()), DateTimeOffset.FromUnixTimeSeconds(exp.GetInt64()))
                : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent token refreshed; the new one expires at {ExpiresAt:u}")]
    private partial void LogRefreshed(DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the agent token failed ({Reason}); the current one expires at {ExpiresAt:u}")]
    private partial void LogRefreshFailed(DateTimeOffset expiresAt, string reason);
}
