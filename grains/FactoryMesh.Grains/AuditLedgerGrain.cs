using FactoryMesh.Core.Audit;
using FactoryMesh.Grains.Abstractions;
using Microsoft.Extensions.Logging;

namespace FactoryMesh.Grains;

/// <summary>
/// Appends to the hash-chained audit ledger, one entry at a time, keeping the signed head in memory and the latest
/// one in a checkpoint outside the database. A database found behind its checkpoint on activation (a tail cut, or a
/// restored older head) freezes the checkpoint as evidence and is logged as critical; verification reports it.
/// </summary>
public sealed partial class AuditLedgerGrain(IAuditStore store, AuditChain chain, IAuditCheckpoint checkpoint, ILogger<AuditLedgerGrain> logger) : Grain, IAuditLedgerGrain
{
    private AuditHead _head = chain.EmptyHead();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _head = await store.ReadHeadAsync(cancellationToken) ?? chain.EmptyHead();
        if (checkpoint.Latest is { } kept && (kept.Sequence > _head.Sequence || (kept.Sequence == _head.Sequence && kept.Hash != _head.Hash)))
        {
            checkpoint.Freeze();
            LogBehindCheckpoint(_head.Sequence, kept.Sequence);
        }

        LogActivated(_head.Sequence);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LogDeactivated(_head.Sequence, reason.Description);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(AuditEntry entry)
    {
        var record = AuditChain.Append(_head, entry);
        var head = chain.HeadAfter(record);
        await store.AppendAsync(record, head);
        _head = head;
        checkpoint.Record(head);
        return record.Sequence;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The audit ledger's database ends at record {DatabaseHead} but the checkpoint kept outside it is record {Checkpoint}: its tail was cut or rolled back. The checkpoint is kept as evidence; audit verify reports the cut")]
    private partial void LogBehindCheckpoint(long databaseHead, long checkpoint);

    // Every append in the cluster goes through the silo named here: operators (and the kill drill) look for it.
    [LoggerMessage(Level = LogLevel.Information, Message = "The audit ledger is active on this silo at record {Sequence}")]
    private partial void LogActivated(long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit ledger left this silo at record {Sequence}: {Reason}")]
    private partial void LogDeactivated(long sequence, string reason);
}
