namespace FactoryMesh.Contracts.Http;

/// <summary>The machine-readable codes of a refused heartbeat (<see cref="HeartbeatVerdict.Code"/>); the prose beside them is for people.</summary>
public static class HeartbeatRefusalCodes
{
    /// <summary>The node is not registered (the control plane lost it, or never had it).</summary>
    public const string UnknownNode = "unknown-node";

    /// <summary>The node was registered again after the heartbeat's epoch.</summary>
    public const string StaleEpoch = "stale-epoch";

    /// <summary>The heartbeat's epoch is newer than the control plane knows: its state went back in time.</summary>
    public const string FutureEpoch = "future-epoch";

    /// <summary>The heartbeat reports more GPU memory in use than the node has.</summary>
    public const string MemoryExceedsInventory = "memory-exceeds-inventory";
}
