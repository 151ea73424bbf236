using System.Text.Json;
using FactoryMesh.Core.Audit;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The audit checkpoint as <c>audit-checkpoint.json</c> in the data folder (0600), replaced atomically after every
/// append: the ledger's database holds no copy of it, so rolling the database back does not roll it back.
/// </summary>
public sealed class AuditCheckpointFile : IAuditCheckpoint
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "audit-checkpoint.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _lock = new();
    private readonly string _path;
    private AuditHead? _latest;
    private bool _frozen;

    /// <summary>Opens the checkpoint in <paramref name="dataDirectory"/>; a file that others can read refuses the start.</summary>
    public AuditCheckpointFile(string dataDirectory)
    {
        _path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(_path))
        {
            SecretFileModes.EnsureOwnerOnly(_path);
            _latest = JsonSerializer.Deserialize<AuditHead>(File.ReadAllText(_path), Json)
                ?? throw new InvalidOperationException($"{_path} is empty; remove it only if the ledger is known to be whole.");
        }
    }

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
        ArgumentNullException.ThrowIfNull(head);
        lock (_lock)
        {
            if (_frozen || (_latest is { } kept && kept.Sequence >= head.Sequence))
            {
                return;
            }

            OwnerOnlyFile.WriteAllText(_path, JsonSerializer.Serialize(head, Json));
            _latest = head;
        }
    }

    /// <inheritdoc />
    public void Freeze()
    {
        lock (_lock)
        {
            _frozen = true;
        }
    }
}
