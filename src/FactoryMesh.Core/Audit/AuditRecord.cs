using Orleans;

namespace FactoryMesh.Core.Audit;

/// <summary>A stored ledger record: the entry as canonical JSON, chained to its predecessor by hash.</summary>
/// <param name="Sequence">Position in the ledger, from 1, without gaps.</param>
/// <param name="NodeId">The node it concerns, for queries.</param>
/// <param name="At">When it happened, for queries.</param>
/// <param name="Body">The entry as canonical JSON: what the hash covers.</param>
/// <param name="PreviousHash">The previous record's hash (<see cref="AuditChain.GenesisHash"/> for the first).</param>
/// <param name="Hash">SHA-256 over the sequence, the previous hash and the body.</param>
[GenerateSerializer, Immutable]
public sealed record AuditRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string? NodeId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Body,
    [property: Id(4)] string PreviousHash,
    [property: Id(5)] string Hash);
