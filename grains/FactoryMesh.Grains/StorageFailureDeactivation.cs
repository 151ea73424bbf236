using Orleans.Runtime;

namespace FactoryMesh.Grains;

/// <summary>
/// When a grain call fails because storage did (the database is down or unreachable), the activation is let go: it may
/// hold state newer than what was stored (changed in memory, then the write failed), and the caller was told the
/// change failed. The next call activates the grain afresh from what storage holds, so a change refused during an
/// outage is never stored later by a write that happens to follow it.
/// </summary>
internal sealed class StorageFailureDeactivation : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (StorageFailure.IsStorageFailure(exception))
        {
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "Its storage failed; reload what was stored."));
            throw;
        }
    }
}
