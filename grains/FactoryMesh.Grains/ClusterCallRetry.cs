using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

    /// <summary>
    /// Runs <paramref name="call"/> for <paramref name="caller"/>, again after a pause each time its target's silo was
    /// gone or unreachable, for up to a minute — but not once the caller's own silo is stopping.
    /// </summary>
    public static async Task RunAsync(Grain caller, Func<Task> call)
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
            catch (Exception exception) when (IsTargetGone(exception, caller) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(pause);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    /// <summary>Appends <paramref name="entry"/> to the ledger, riding out a move of the ledger grain to another silo.</summary>
    public static Task AppendRetryingAsync(this IAuditLedgerGrain ledger, AuditEntry entry, Grain caller) =>
        RunAsync(caller, () => ledger.AppendAsync(entry));

    // A silo declared dead answers SiloUnavailableException. Between a kill and that declaration (several seconds of
    // probing) sending to it fails on the connection and Orleans answers a rejection instead: that is retried too, or
    // a trust change stored in that window would never reach the ledger. Nothing is retried while the caller's own
    // silo stops (Orleans answers both then), or a grain finishing a transition during a graceful shutdown would hold
    // the shutdown for a minute.
    private static bool IsTargetGone(Exception exception, Grain caller) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException && !OwnSiloStopping(caller);

    private static bool OwnSiloStopping(Grain caller)
    {
        var services = caller.GrainContext.ActivationServices;
        if (services.GetService<IHostApplicationLifetime>() is { ApplicationStopping.IsCancellationRequested: true })
        {
            return true;
        }

        return services.GetService<ISiloStatusOracle>()?.CurrentStatus is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead;
    }
}
