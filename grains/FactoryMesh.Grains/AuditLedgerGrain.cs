using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;

namespace FactoryMesh.Grains;

/// <summary>Appends to the hash-chained audit ledger, one entry at a time, keeping the signed head in memory.</summary>
public sealed class AuditLedgerGrain(IAuditStore store, AuditChain chain) : Grain, IAuditLedgerGrain
{
    private AuditHead _head = chain.EmptyHead();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _head = await store.ReadHeadAsync(cancellationToken) ?? chain.EmptyHead();
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(AuditEntry entry)
    {
        var record = AuditChain.Append(_head, entry);
        var head = chain.HeadAfter(record);
        await store.AppendAsync(record, head);
        _head = head;
        return record.Sequence;
    }
}
