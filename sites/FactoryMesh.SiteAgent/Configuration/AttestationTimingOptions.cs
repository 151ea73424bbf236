namespace FactoryMesh.SiteAgent.Configuration;

/// <summary>When the agent re-attests its nodes: section <c>FactoryMesh:Agent:Attestation</c>.</summary>
internal sealed class AttestationTimingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FactoryMesh:Agent:Attestation";

    /// <summary>
    /// Re-attest once this fraction of the freshness the control plane granted has passed. One half leaves the
    /// other half for retries before the node would go Stale.
    /// </summary>
    public double RefreshFraction { get; set; } = 0.5;

    /// <summary>Each wait is stretched or shrunk by up to this fraction, so a site's nodes do not attest in lockstep.</summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>The shortest wait between two attempts for one node, seconds.</summary>
    public double MinimumDelaySeconds { get; set; } = 1;

    /// <summary>The longest wait after failures (backoff cap), seconds.</summary>
    public double MaximumRetrySeconds { get; set; } = 30;

    /// <summary>At most this many attestations in flight at once, so a large site does not flood the verifier.</summary>
    public int MaxConcurrent { get; set; } = 8;
}
