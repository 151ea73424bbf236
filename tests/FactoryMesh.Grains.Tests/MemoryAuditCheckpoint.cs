using FactoryMesh.Core.Audit;

namespace FactoryMesh.Grains.Tests;

/// <summary>An audit checkpoint in memory: what the server keeps in a file, for clusters that have no data folder.</summary>
public sealed class MemoryAuditCheckpoint : IAuditCheckpoint
{
    private readonly Lock _lock = new();
    private AuditHead? _latest;

    /// <summary>True once the ledger grain found its database behind this checkpoint.</summary>
    public bool Frozen { get; private set; }

    /// <inheritdoc />
    public AuditHead? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <inheritdoc />
    public void Record(AuditHead head)
    {
        lock (_lock)
        {
            if (!Frozen && (_latest is null || _latest.Sequence < head.Sequence))
            {
                _latest = head;
            }
        }
    }

    /// <inheritdoc />
    public void Freeze()
    {
        lock (_lock)
        {
            Frozen = true;
        }
    }
}
