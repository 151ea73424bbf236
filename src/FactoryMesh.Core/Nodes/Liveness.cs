namespace FactoryMesh.Core.Nodes;

/// <summary>Whether a node's agent is still heard from, in Kubernetes' node-lifecycle terms.</summary>
public enum Liveness
{
    /// <summary>Heartbeats arrive on time.</summary>
    Ready,

    /// <summary>Several heartbeat intervals missed: no new work, but nothing moved yet.</summary>
    Suspect,

    /// <summary>Silent for the whole grace period: its replicas are re-placed.</summary>
    NotReady,
}
