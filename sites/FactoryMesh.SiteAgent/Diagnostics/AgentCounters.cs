namespace FactoryMesh.SiteAgent.Diagnostics;

/// <summary>What the agent has done since it started: for its logs, and for tests that run it in-process.</summary>
internal sealed class AgentCounters
{
    private long _heartbeatsAccepted;
    private long _heartbeatsRefused;
    private long _heartbeatsDropped;
    private long _registrations;
    private long _reregistrations;
    private long _attestationsPassed;
    private long _attestationsRejected;
    private long _attestationErrors;
    private long _replicasLoaded;
    private long _replicasFailed;
    private long _replicasPurged;
    private readonly long[] _callsAnswered = new long[Enum.GetValues<ControlPlaneRoute>().Length];

    /// <summary>Heartbeats the control plane accepted.</summary>
    public long HeartbeatsAccepted => Interlocked.Read(ref _heartbeatsAccepted);

    /// <summary>Heartbeats the control plane refused (unknown node, stale epoch, …).</summary>
    public long HeartbeatsRefused => Interlocked.Read(ref _heartbeatsRefused);

    /// <summary>Heartbeats never sent: replaced by a newer sample of the same node before they went out, or refused as invalid.</summary>
    public long HeartbeatsDropped => Interlocked.Read(ref _heartbeatsDropped);

    /// <summary>Successful registrations, first ones included.</summary>
    public long Registrations => Interlocked.Read(ref _registrations);

    /// <summary>Registrations of nodes that had been registered before (after a refusal or an outage).</summary>
    public long Reregistrations => Interlocked.Read(ref _reregistrations);

    /// <summary>Evidence the control plane accepted.</summary>
    public long AttestationsPassed => Interlocked.Read(ref _attestationsPassed);

    /// <summary>Evidence the control plane rejected.</summary>
    public long AttestationsRejected => Interlocked.Read(ref _attestationsRejected);

    /// <summary>Attestation attempts that did not reach a verdict (unreachable, no evidence).</summary>
    public long AttestationErrors => Interlocked.Read(ref _attestationErrors);

    /// <summary>Replicas loaded: key released and opened, weights decrypted to the expected digest.</summary>
    public long ReplicasLoaded => Interlocked.Read(ref _replicasLoaded);

    /// <summary>Replicas that could not be loaded (key refused, artifact missing or altered, digest mismatch).</summary>
    public long ReplicasFailed => Interlocked.Read(ref _replicasFailed);

    /// <summary>Loaded replicas purged: key wiped, weights deleted.</summary>
    public long ReplicasPurged => Interlocked.Read(ref _replicasPurged);

    /// <summary>Counts heartbeat verdicts.</summary>
    public void HeartbeatsAnswered(int accepted, int refused)
    {
        Interlocked.Add(ref _heartbeatsAccepted, accepted);
        Interlocked.Add(ref _heartbeatsRefused, refused);
    }

    /// <summary>Counts dropped heartbeats.</summary>
    public void HeartbeatsLost(int dropped) => Interlocked.Add(ref _heartbeatsDropped, dropped);

    /// <summary>Counts a registration.</summary>
    public void Registered(bool again)
    {
        Interlocked.Increment(ref _registrations);
        if (again)
        {
            Interlocked.Increment(ref _reregistrations);
        }
    }

    /// <summary>Counts an accepted appraisal.</summary>
    public void AttestationPassed() => Interlocked.Increment(ref _attestationsPassed);

    /// <summary>Counts a rejected appraisal.</summary>
    public void AttestationRejected() => Interlocked.Increment(ref _attestationsRejected);

    /// <summary>Counts an attempt without a verdict.</summary>
    public void AttestationError() => Interlocked.Increment(ref _attestationErrors);

    /// <summary>Counts a loaded replica.</summary>
    public void ReplicaLoaded() => Interlocked.Increment(ref _replicasLoaded);

    /// <summary>Counts a replica that failed to load.</summary>
    public void ReplicaFailed() => Interlocked.Increment(ref _replicasFailed);

    /// <summary>Counts a purged replica.</summary>
    public void ReplicaPurged() => Interlocked.Increment(ref _replicasPurged);

    /// <summary>Requests the control plane answered (any status), by what they were for.</summary>
    public long CallsAnswered(ControlPlaneRoute route) => Interlocked.Read(ref _callsAnswered[(int)route]);

    /// <summary>Counts one answered request.</summary>
    public void CallAnswered(ControlPlaneRoute route) => Interlocked.Increment(ref _callsAnswered[(int)route]);
}
