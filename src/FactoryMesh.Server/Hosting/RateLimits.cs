namespace FactoryMesh.Server.Hosting;

/// <summary>
/// The rate-limit policies, each a token bucket per caller (the token's <c>jti</c>; the remote address for callers
/// without one), sized from <c>FactoryMesh:RateLimits:{policy}:PermitsPerSecond</c> and <c>:Burst</c>. The defaults
/// leave the load a 5,000-node site agent makes several times over, and stop one stolen token from flooding
/// appraisals, key releases, token issuance or heartbeats.
/// </summary>
public static class RateLimits
{
    /// <summary>Challenges and evidence: two requests per attestation.</summary>
    public const string Attestation = "attestation";

    /// <summary>Key release requests.</summary>
    public const string KeyRelease = "key-release";

    /// <summary>Token issuance, refresh and revocation.</summary>
    public const string Tokens = "tokens";

    /// <summary>Heartbeat and registration batches (up to 1,000 nodes each).</summary>
    public const string Agent = "agent";

    /// <summary>Each policy's default permits per second and burst.</summary>
    public static IReadOnlyDictionary<string, (int PermitsPerSecond, int Burst)> Defaults { get; } = new Dictionary<string, (int, int)>
    {
        [Attestation] = (500, 5_000),
        [KeyRelease] = (100, 1_000),
        [Tokens] = (5, 20),
        [Agent] = (100, 400),
    };
}
