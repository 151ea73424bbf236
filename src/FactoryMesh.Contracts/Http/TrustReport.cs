namespace FactoryMesh.Contracts.Http;

/// <summary>A node's trust as the control plane reports it on the wire.</summary>
/// <param name="State"><c>Unknown</c>, <c>Trusted</c>, <c>Stale</c> or <c>Untrusted</c>.</param>
/// <param name="VerifiedAt">When the last accepted evidence was appraised (control plane clock).</param>
/// <param name="ExpiresAt">When that trust ends (control plane clock).</param>
/// <param name="Reason">Why the node is in this state.</param>
public sealed record TrustReport(string? State, DateTimeOffset? VerifiedAt, DateTimeOffset? ExpiresAt, string? Reason)
{
    /// <summary>The state that means "trusted now".</summary>
    public const string Trusted = "Trusted";

    /// <summary>True when the node is trusted.</summary>
    public bool IsTrusted => string.Equals(State, Trusted, StringComparison.Ordinal);

    /// <summary>
    /// How long the trust lasts from its appraisal: a span on the control plane's own clock, so it holds whatever the
    /// skew between that clock and the reader's.
    /// </summary>
    public TimeSpan? Freshness => VerifiedAt is { } verified && ExpiresAt is { } expires && expires > verified ? expires - verified : null;
}
