namespace FactoryMesh.Grains.Abstractions;

/// <summary>Why a heartbeat was not accepted; <see cref="None"/> when it was.</summary>
public enum HeartbeatRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>The node was never registered.</summary>
    UnknownNode,

    /// <summary>The heartbeat carries an older epoch than the node's: it comes from a superseded agent.</summary>
    StaleEpoch,

    /// <summary>The heartbeat carries an epoch the node never issued.</summary>
    FutureEpoch,

    /// <summary>It reports more GPU memory in use than the node has.</summary>
    MemoryExceedsInventory,
}
