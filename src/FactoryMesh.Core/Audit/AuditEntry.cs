using Orleans;

namespace FactoryMesh.Core.Audit;

/// <summary>
/// One fact for the append-only ledger: an appraisal, a trust transition, a revocation, a key release.
/// It holds digests and verdicts, never keys, tokens or raw evidence.
/// </summary>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened, one of <see cref="AuditKinds"/>.</param>
/// <param name="NodeId">The node it concerns, if any.</param>
/// <param name="Actor">Who caused it: a token's subject, or <c>system</c> for the control plane's own timers.</param>
/// <param name="Verdict">The outcome: <c>pass</c>, the failed check, or the new state.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="EvidenceSha256">SHA-256 of the evidence appraised, when there was evidence.</param>
/// <param name="Nonce">The challenge nonce the evidence answered, when there was one.</param>
/// <param name="PolicyVersion">The appraisal policy's version that judged it, for appraisals.</param>
/// <param name="PreviousState">The trust state before, for transitions.</param>
/// <param name="NewState">The trust state after, for transitions.</param>
[GenerateSerializer, Immutable]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? NodeId,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Verdict,
    [property: Id(5)] string Reason,
    [property: Id(6)] string? EvidenceSha256 = null,
    [property: Id(7)] string? Nonce = null,
    [property: Id(8)] string? PolicyVersion = null,
    [property: Id(9)] string? PreviousState = null,
    [property: Id(10)] string? NewState = null);
