using FactoryMesh.Core.Audit;

namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// The one writer of the audit ledger (key <see cref="Key"/>): appends are serialized through it, so the hash
/// chain never forks, and each is durable before it returns.
/// </summary>
[Alias("FactoryMesh.IAuditLedgerGrain")]
public interface IAuditLedgerGrain : IGrainWithStringKey
{
    /// <summary>The key of the single ledger.</summary>
    public const string Key = "ledger";

    /// <summary>Appends <paramref name="entry"/>; returns its sequence number.</summary>
    [Alias("Append")]
    Task<long> AppendAsync(AuditEntry entry);
}
