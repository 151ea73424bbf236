using FactoryMesh.Contracts.Http;

namespace FactoryMesh.SiteAgent.Heartbeats;

/// <summary>
/// Decides what a refused heartbeat calls for, by its code. <c>unknown-node</c>: the control plane lost the node (a new
/// data folder, a restore), so register it. <c>stale-epoch</c> / <c>future-epoch</c>: the control plane holds another
/// registration than ours, so register again, but only when the heartbeat carried our current epoch: heartbeats
/// buffered before our own re-registration are refused as stale too, and must not start another round.
/// </summary>
internal static class RefusalPolicy
{
    /// <summary>The action for a heartbeat sent with <paramref name="sentEpoch"/>, refused with <paramref name="code"/> (<see cref="HeartbeatRefusalCodes"/>).</summary>
    public static RefusalAction Decide(string? code, long sentEpoch, long currentEpoch, bool registrationPending)
    {
        if (registrationPending)
        {
            return RefusalAction.Ignore;
        }

        return code switch
        {
            HeartbeatRefusalCodes.UnknownNode => RefusalAction.Reregister,
            HeartbeatRefusalCodes.StaleEpoch or HeartbeatRefusalCodes.FutureEpoch => sentEpoch == currentEpoch ? RefusalAction.Reregister : RefusalAction.Ignore,
            _ => RefusalAction.Report,
        };
    }
}
