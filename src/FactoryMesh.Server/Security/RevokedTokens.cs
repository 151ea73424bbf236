using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Server.Security;

/// <summary>
/// This silo's copy of the revoked token families, checked on every authenticated request without a grain call:
/// refreshed from the cluster's denylist every <see cref="RefreshInterval"/> (another silo's revocation takes effect
/// here within it), and at once for revocations made through this silo.
/// </summary>
public sealed partial class RevokedTokens(IGrainFactory grains, ILogger<RevokedTokens> logger) : BackgroundService
{
    /// <summary>How often the denylist is read again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private volatile HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>True when tokens of <paramref name="family"/> are revoked.</summary>
    public bool IsRevoked(string? family) => family is not null && _families.Contains(family);

    /// <summary>Refuses <paramref name="family"/> here at once (the denylist holds it durably).</summary>
    public void Add(string family)
    {
        var next = new HashSet<string>(_families, StringComparer.Ordinal) { family };
        _families = next;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        do
        {
            try
            {
                var revoked = await grains.GetGrain<ITokenRevocationGrain>(ITokenRevocationGrain.Key).GetRevokedAsync();
                _families = new HashSet<string>(revoked, StringComparer.Ordinal);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRefreshFailed(exception); // keep the last list: a revocation is never forgotten by a failed read
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the token denylist failed; the last list read stays in force")]
    private partial void LogRefreshFailed(Exception exception);
}
