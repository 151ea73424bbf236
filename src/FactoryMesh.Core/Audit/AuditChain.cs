using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FactoryMesh.Core.Audit;

/// <summary>
/// The hash chain behind the audit ledger: each record's hash covers its sequence, its predecessor's hash and
/// its canonical body, and the head (last sequence and hash) is signed with a key only the server holds. An
/// edited record breaks its own hash, a removed or reordered one breaks the links, and records cut off the
/// end no longer match the signed head.
/// </summary>
public sealed class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);
    private readonly byte[] _headKey;

    /// <summary>Creates a chain whose head is signed with <paramref name="headKey"/> (at least 32 bytes).</summary>
    public AuditChain(byte[] headKey)
    {
        ArgumentNullException.ThrowIfNull(headKey);
        if (headKey.Length < 32)
        {
            throw new ArgumentException("The audit key needs at least 32 bytes.", nameof(headKey));
        }

        _headKey = headKey.ToArray();
    }

    /// <summary>The record that appends <paramref name="entry"/> after <paramref name="head"/>.</summary>
    public static AuditRecord Append(AuditHead head, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(entry);
        var sequence = head.Sequence + 1;
        var body = JsonSerializer.Serialize(entry, BodyJson);
        return new AuditRecord(sequence, entry.NodeId, entry.At, body, head.Hash, HashOf(sequence, head.Hash, body));
    }

    /// <summary>The entry a record holds.</summary>
    public static AuditEntry Read(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.Deserialize<AuditEntry>(record.Body, BodyJson) ?? throw new FormatException($"Audit record {record.Sequence} has an empty body.");
    }

    /// <summary>The signed head of an empty ledger.</summary>
    public AuditHead EmptyHead() => Sign(0, GenesisHash);

    /// <summary>The signed head after <paramref name="record"/>.</summary>
    public AuditHead HeadAfter(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Sign(record.Sequence, record.Hash);
    }

    /// <summary>Checks a whole ledger, in sequence order, against its signed head.</summary>
    public AuditVerification Verify(IReadOnlyList<AuditRecord> records, AuditHead head)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(head);
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(head.Signature), Signature(head.Sequence, head.Hash)))
        {
            return AuditVerification.Broken(records.Count, head.Sequence, "the head's signature does not verify");
        }

        var previous = GenesisHash;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Sequence != i + 1)
            {
                return AuditVerification.Broken(records.Count, record.Sequence, $"expected record {i + 1}, found {record.Sequence}: records are missing or reordered");
            }

            if (record.PreviousHash != previous)
            {
                return AuditVerification.Broken(records.Count, record.Sequence, "it does not link to the record before it");
            }

            if (record.Hash != HashOf(record.Sequence, record.PreviousHash, record.Body))
            {
                return AuditVerification.Broken(records.Count, record.Sequence, "its content does not match its hash: it was edited");
            }

            previous = record.Hash;
        }

        if (head.Sequence != records.Count || head.Hash != previous)
        {
            return AuditVerification.Broken(records.Count, head.Sequence, $"the signed head is record {head.Sequence}, the ledger ends at {records.Count}");
        }

        return AuditVerification.Whole(records.Count);
    }

    private static string HashOf(long sequence, string previousHash, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sequence.ToString(CultureInfo.InvariantCulture)}\n{previousHash}\n{body}")));

    private AuditHead Sign(long sequence, string hash) => new(sequence, hash, Convert.ToHexStringLower(Signature(sequence, hash)));

    private byte[] Signature(long sequence, string hash) =>
        HMACSHA256.HashData(_headKey, Encoding.UTF8.GetBytes($"factorymesh-audit-head\n{sequence.ToString(CultureInfo.InvariantCulture)}\n{hash}"));
}
