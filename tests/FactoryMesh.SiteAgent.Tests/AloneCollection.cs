namespace FactoryMesh.SiteAgent.Tests;

/// <summary>
/// Tests that load the machine (a thousand simulated nodes attesting against a server process) run alone, after the
/// others: beside them, the tests that time re-attestation against a 20 s freshness would measure the load, not the agent.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "alone";
}
