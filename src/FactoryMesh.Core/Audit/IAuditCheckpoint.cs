namespace FactoryMesh.Core.Audit;

/// <summary>
/// The latest signed head kept outside the ledger's database, so that a database writer who cuts the ledger's tail
/// and restores an older (genuinely signed) head is still caught: the checkpoint names a record the ledger lacks.
/// </summary>
public interface IAuditCheckpoint
{
    /// <summary>The newest head recorded, or null before the first.</summary>
    AuditHead? Latest { get; }

    /// <summary>Records <paramref name="head"/>, the ledger's new head. A frozen checkpoint ignores it.</summary>
    void Record(AuditHead head);

    /// <summary>
    /// Stops recording: the database is behind the checkpoint, and the checkpoint is the evidence. It stays as it is
    /// until an operator looks (verification reports the cut) and removes it.
    /// </summary>
    void Freeze();
}
