namespace FactoryMesh.Core.KeyRelease;

/// <summary>Why a model's data key was not released to a node; <see cref="None"/> when it was.</summary>
public enum KeyRefusal
{
    /// <summary>Released.</summary>
    None,

    /// <summary>The node is unknown.</summary>
    UnknownNode,

    /// <summary>The model is unknown, or has no encrypted artifact.</summary>
    UnknownModel,

    /// <summary>The node is not Trusted now (Unknown, Stale or Untrusted).</summary>
    NodeNotTrusted,

    /// <summary>The node holds no replica of the model.</summary>
    NoReplica,

    /// <summary>The node's assignment is not the current placement epoch: superseded, however late the request.</summary>
    StaleAssignment,

    /// <summary>The node's attestation bound no TEE key, so there is nothing to wrap to.</summary>
    NoAttestedTeeKey,

    /// <summary>The presented TEE key is not the one the node attested.</summary>
    TeeKeyMismatch,

    /// <summary>The model's wrapped data key cannot be unwrapped for its tenant (corrupt, or wrapped elsewhere).</summary>
    KeyUnavailable,

    /// <summary>The tenant's policy (sovereignty, required TEE kind) does not allow the node, as it stands now.</summary>
    OutsideTenantPolicy,

    /// <summary>The node's attestation is older than the tenant accepts.</summary>
    AttestationTooOld,
}
