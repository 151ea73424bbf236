namespace FactoryMesh.Core.Placement;

/// <summary>Why a candidate node received no replica. A node failing several hard constraints carries the first, in this order.</summary>
public enum ExclusionReason
{
    /// <summary>The site's jurisdiction or zones are not allowed by the tenant, or its jurisdiction is denied.</summary>
    Sovereignty,

    /// <summary>The node's TEE kind is not one the tenant requires.</summary>
    TeeKind,

    /// <summary>The node is not Trusted now.</summary>
    NotTrusted,

    /// <summary>The node's trust ends too soon, or its attestation is older than the tenant accepts.</summary>
    FreshnessTooShort,

    /// <summary>The node's agent is not heard from on time (Suspect or NotReady).</summary>
    NotReady,

    /// <summary>Too little free GPU memory, or fewer GPUs than one replica needs.</summary>
    Capacity,

    /// <summary>The model states no throughput for the node's GPU model.</summary>
    UnsupportedGpuModel,

    /// <summary>Eligible and among the best, but the replicas had to span more sites, so one elsewhere took its place.</summary>
    Spread,

    /// <summary>Eligible, but choosing it would exceed the tenant's budget.</summary>
    Budget,

    /// <summary>Eligible, but the chosen nodes scored better on the tenant's objective.</summary>
    Outranked,
}
