namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>The agent's short switches and the configuration keys they set; every key can also be given in full.</summary>
internal static class AgentCommandLine
{
    /// <summary>Switch → configuration key.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--server"] = $"{AgentOptions.Section}:{nameof(AgentOptions.ServerUrl)}",
        ["--token"] = $"{AgentOptions.Section}:{nameof(AgentOptions.Token)}",
        ["--token-file"] = $"{AgentOptions.Section}:{nameof(AgentOptions.TokenFile)}",
        ["--site"] = $"{AgentOptions.Section}:{nameof(AgentOptions.SiteFile)}",
        ["--data"] = $"{AgentOptions.Section}:{nameof(AgentOptions.DataDirectory)}",
        ["--vendor-dir"] = $"{AgentOptions.Section}:{nameof(AgentOptions.VendorDirectory)}",
        ["--simulate"] = $"{AgentOptions.Section}:{nameof(AgentOptions.Simulate)}",
        ["--simulate-format"] = $"{AgentOptions.Section}:{nameof(AgentOptions.SimulateFormat)}",
        ["--faults"] = $"{AgentOptions.Section}:{nameof(AgentOptions.FaultFile)}",
        ["--artifacts"] = $"{AgentOptions.Section}:{nameof(AgentOptions.ArtifactDirectory)}",
        ["--evidence-command"] = $"{EvidenceCommandOptions.Section}:{nameof(EvidenceCommandOptions.Command)}",
        ["--evidence-format"] = $"{EvidenceCommandOptions.Section}:{nameof(EvidenceCommandOptions.Format)}",
        ["--tee-key-command"] = $"{TeeKeyCommandOptions.Section}:{nameof(TeeKeyCommandOptions.Command)}",
        ["--interval"] = $"{HeartbeatOptions.Section}:{nameof(HeartbeatOptions.IntervalSeconds)}",
    };

    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        FactoryMesh site agent: registers a site's GPU nodes with the control plane, heartbeats them, keeps their
        attestation fresh, and loads the encrypted model replicas assigned to its trusted nodes.

        Usage:
          FactoryMesh.SiteAgent [run] --site FILE --server URL (--token TOKEN | --token-file FILE) [--data DIR]
                                      [--simulate N [--simulate-format sim-jws|ear-jwt|ita-jwt|nvidia-eat]]
                                      [--vendor-dir DIR] [--faults FILE] [--interval SECONDS] [--artifacts DIR]
                                      [--evidence-command PROGRAM [--evidence-format FORMAT]] [--tee-key-command PROGRAM]
          FactoryMesh.SiteAgent vendor-root [--data DIR | --vendor-dir DIR]
              Creates the simulated vendor CA once (if missing) and prints the path of its root certificate,
              which the control plane must be told to trust.
          FactoryMesh.SiteAgent verifier-issuers [--data DIR | --vendor-dir DIR] [--first-index N]
              Creates the simulated verifiers once (if missing) and prints the control plane settings that trust
              them (issuers N, N+1, N+2), for --simulate-format other than sim-jws.
          FactoryMesh.SiteAgent tee-key (public-key | open CIPHERTEXT PLAINTEXT) --key-file FILE
              Plays a --tee-key-command with a key kept in FILE: prints its public JWK, or opens the JWE on standard
              input, decrypts CIPHERTEXT into PLAINTEXT and prints its SHA-256. The reference for a real TEE's program.
          FactoryMesh.SiteAgent reference-values
              Prints an appraisal policy (JSON) that allows exactly the simulated fleet's measurements, in every
              simulated format.
          FactoryMesh.SiteAgent site-request --site FILE
              Prints the body of PUT /api/v1/sites/{siteId} for the site file.

        Every setting is also a configuration key (FactoryMesh:Agent:..., FactoryMesh:Heartbeat:IntervalSeconds),
        given as --Key=value or as an environment variable FactoryMesh__Agent__....
        """;
}
