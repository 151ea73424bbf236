namespace FactoryMesh.Core.Audit;

/// <summary>The kinds of audit entries.</summary>
public static class AuditKinds
{
    /// <summary>Evidence was appraised (pass or fail).</summary>
    public const string Appraisal = "appraisal";

    /// <summary>A node's trust state changed.</summary>
    public const string Transition = "transition";

    /// <summary>An operator revoked a node.</summary>
    public const string NodeRevocation = "node-revocation";

    /// <summary>An operator revoked a device certificate.</summary>
    public const string CertificateRevocation = "certificate-revocation";

    /// <summary>A model replica was placed on a node.</summary>
    public const string ReplicaPlaced = "replica-placed";

    /// <summary>A model replica left a node.</summary>
    public const string ReplicaEvicted = "replica-evicted";

    /// <summary>A joint re-plan of many models was applied (its summary; each move is audited on its own too).</summary>
    public const string FleetPlacement = "fleet-placement";

    /// <summary>A model's data key was released into a node's TEE.</summary>
    public const string KeyRelease = "key-release";

    /// <summary>A key release was refused.</summary>
    public const string KeyRefusal = "key-refusal";

    /// <summary>An operator revoked a family of API tokens.</summary>
    public const string TokenRevocation = "token-revocation";

    /// <summary>The token signing key was rotated.</summary>
    public const string TokenKeyRotation = "token-key-rotation";

    /// <summary>The API refused an authenticated caller acting outside its scope (another site's agent, an operator asking for a key).</summary>
    public const string AccessRefusal = "access-refusal";

    /// <summary>The appraisal policy file changed: the new version was put in force, or refused and the old one kept.</summary>
    public const string AppraisalPolicyChange = "appraisal-policy";
}
