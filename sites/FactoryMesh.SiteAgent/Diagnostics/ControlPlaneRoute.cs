namespace FactoryMesh.SiteAgent.Diagnostics;

/// <summary>What a request to the control plane was for, as the agent counts its calls.</summary>
internal enum ControlPlaneRoute
{
    /// <summary>A heartbeat batch.</summary>
    Heartbeats,

    /// <summary>A node registration (one node or a batch).</summary>
    Registration,

    /// <summary>An attestation challenge or evidence submission.</summary>
    Attestation,

    /// <summary>Anything else: key release, token refresh.</summary>
    Other,
}
