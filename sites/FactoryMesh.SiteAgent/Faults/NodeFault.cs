namespace FactoryMesh.SiteAgent.Faults;

/// <summary>Faults an operator or a test can inject into simulated nodes through the fault file.</summary>
[Flags]
internal enum NodeFault
{
    /// <summary>No fault.</summary>
    None = 0,

    /// <summary><c>stop-heartbeats</c>: the node sends no heartbeats (the control plane marks it Suspect, then NotReady).</summary>
    StopHeartbeats = 1,

    /// <summary><c>stop-attesting</c>: the node stops renewing its attestation (it goes Stale when the current one expires).</summary>
    StopAttesting = 2,

    /// <summary><c>fail-attestation</c>: the node's GPUs answer a nonce not derived from the challenge (appraisal fails: Untrusted).</summary>
    FailAttestation = 4,

    /// <summary><c>debug-on</c>: the node's GPUs report debug mode on (appraisal fails: Untrusted).</summary>
    DebugOn = 8,

    /// <summary><c>cc-mode-off</c>: the node's GPUs report confidential-computing mode off (appraisal fails: Untrusted).</summary>
    CcModeOff = 16,
}
