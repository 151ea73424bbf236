namespace FactoryMesh.Grains.Abstractions;

/// <summary>How a node registration ended.</summary>
public enum RegistrationOutcome
{
    /// <summary>Registered under a new epoch.</summary>
    Registered,

    /// <summary>The node's site does not exist.</summary>
    UnknownSite,

    /// <summary>The caller presented an epoch older than the node's: a newer agent owns the node.</summary>
    StaleEpoch,
}
