using Orleans;

namespace FactoryMesh.Core.Audit;

/// <summary>The ledger's last record, signed by the server's key so that cutting records off the end shows.</summary>
/// <param name="Sequence">The last record's sequence (0 for an empty ledger).</param>
/// <param name="Hash">The last record's hash.</param>
/// <param name="Signature">ECDSA P-256 (SHA-256, IEEE P1363) over sequence and hash under the server's audit key, hex.</param>
[GenerateSerializer, Immutable]
public sealed record AuditHead(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string Hash,
    [property: Id(2)] string Signature);
