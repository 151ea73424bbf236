namespace FactoryMesh.SiteAgent.Heartbeats;

/// <summary>What the agent does about a refused heartbeat.</summary>
internal enum RefusalAction
{
    /// <summary>Nothing: the refusal is already being dealt with, or concerns an older registration.</summary>
    Ignore,

    /// <summary>Register the node again: the control plane does not know it, or knows another registration.</summary>
    Reregister,

    /// <summary>Log it: a refusal registering again would not cure.</summary>
    Report,
}
