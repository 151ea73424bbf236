using System.Collections.Concurrent;

namespace FactoryMesh.Server.Security;

/// <summary>
/// Bounds how many access refusals reach the audit ledger: one entry per key (caller and route) per interval, carrying
/// how many refusals it stands for, so a flood of refused calls cannot flood the ledger.
/// </summary>
public sealed class RefusalAuditThrottle
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset LastAudited, int Refusals)> _keys = new(StringComparer.Ordinal);

    /// <summary>The refusals to write now (this one included), or null when this one is only counted.</summary>
    public int? ShouldAudit(string key, DateTimeOffset now, TimeSpan every)
    {
        int? audit = null;
        _keys.AddOrUpdate(
            key,
            _ =>
            {
                audit = 1;
                return (now, 0);
            },
            (_, seen) =>
            {
                if (now - seen.LastAudited >= every)
                {
                    audit = seen.Refusals + 1;
                    return (now, 0);
                }

                audit = null;
                return (seen.LastAudited, seen.Refusals + 1);
            });
        if (_keys.Count > 100_000)
        {
            _keys.Clear(); // a bound on memory; the worst case is one extra entry per key
        }

        return audit;
    }
}
