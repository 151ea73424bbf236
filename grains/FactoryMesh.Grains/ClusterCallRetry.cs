using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>
/// Retries a grain call that failed because the silo hosting its target left the cluster (killed, partitioned):
/// Orleans refuses such a call before the target runs it, and membership moves the target to a live silo within
/// seconds, so sending it again neither loses nor doubles it. Used where a change already stored must be followed by
/// its record elsewhere (the audit ledger, the site's index) — giving up there would leave the two disagreeing.
/// </summary>
internal static class ClusterCallRetry
{
    // Long enough for membership to declare a silo dead with Orleans' default probing (about 3 x 5 s) and re-route.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="call"/>, again after a pause each time its target's silo was gone, for up to a minute.</summary>
    public static async Task RunAsync(Func<Task> call)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        var pause = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception exception) when (IsTargetGone(exception) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    /// <summary>Appends <paramref name="entry"/> to the ledger, riding out a move of the ledger grain to another silo.</summary>
    public static Task AppendRetryingAsync(this IAuditLedgerGrain ledger, AuditEntry entry) => RunAsync(() => ledger.AppendAsync(entry));

    // Only a target silo that is gone: a rejection (this silo shutting down, an activation moving) is not retried, or
    // a grain finishing a transition while its own silo stops would hold the shutdown for up to a minute.
    private static bool IsTargetGone(Exception exception) => exception is SiloUnavailableException;
}
