namespace FactoryMesh.Contracts.Http;

/// <summary>Why a node of a batch registration was not registered: <see cref="NodeRegistrationResult.Code"/>.</summary>
public static class RegistrationRefusalCodes
{
    /// <summary>A newer registration superseded the epoch the caller expected: another agent owns the node now.</summary>
    public const string StaleEpoch = "stale-epoch";

    /// <summary>The node's site does not exist (it was deleted while the batch was under way).</summary>
    public const string UnknownSite = "unknown-site";
}
