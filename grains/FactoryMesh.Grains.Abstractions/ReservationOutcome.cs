namespace FactoryMesh.Grains.Abstractions;

/// <summary>How a node answered a request to hold a replica.</summary>
public enum ReservationOutcome
{
    /// <summary>The capacity is held for the replica.</summary>
    Reserved,

    /// <summary>The node was never registered.</summary>
    UnknownNode,

    /// <summary>The node is not Trusted, or its trust ends too soon.</summary>
    NotTrusted,

    /// <summary>The node's agent is not heard from.</summary>
    NotReady,

    /// <summary>Not enough free GPU memory or GPUs left: someone else got there first.</summary>
    InsufficientCapacity,
}
