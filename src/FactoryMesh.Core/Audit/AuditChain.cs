using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FactoryMesh.Core.Audit;

/// <summary>
/// The hash chain behind the audit ledger: each record's hash covers its sequence, its predecessor's hash and
/// its canonical body, and the head (last sequence and hash) is signed with the server's ECDSA P-256 key. An
/// edited record breaks its own hash, a removed or reordered one breaks the links, and records cut off the
/// end no longer match the signed head. Verification needs only the public key, so anyone can check a ledger
/// offline; and a checkpoint (a signed head kept outside the database) shows a tail cut even when an older,
/// genuinely signed head was restored with it.
/// </summary>
public sealed class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);

    private readonly ECDsa _signingKey;

    /// <summary>Creates a chain whose heads are signed with <paramref name="signingKey"/> (an ECDSA P-256 private key).</summary>
    public AuditChain(ECDsa signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (signingKey.KeySize != 256)
        {
            throw new ArgumentException("The audit key must be an ECDSA P-256 key.", nameof(signingKey));
        }

        _signingKey = signingKey;
    }

    /// <summary>The public key that verifies this chain's heads, PEM (SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem => _signingKey.ExportSubjectPublicKeyInfoPem();

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

    /// <summary>Checks a whole ledger with this chain's own public key; see <see cref="Verify(IReadOnlyList{AuditRecord}, AuditHead, ECDsa, AuditHead?)"/>.</summary>
    public AuditVerification Verify(IReadOnlyList<AuditRecord> records, AuditHead head, AuditHead? checkpoint = null) =>
        Verify(records, head, _signingKey, checkpoint);

    /// <summary>
    /// Checks a whole ledger, in sequence order, against its signed head, with only the public key: every link and
    /// hash, the head's signature, and (when given) that the ledger still holds the record a signed checkpoint kept
    /// outside the database names, with the same hash.
    /// </summary>
    public static AuditVerification Verify(IReadOnlyList<AuditRecord> records, AuditHead head, ECDsa publicKey, AuditHead? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!SignatureVerifies(head, publicKey))
        {
            return AuditVerification.Broken(records.Count, head.Sequence, "the head's signature does not verify under the audit public key");
        }

        if (checkpoint is not null && !SignatureVerifies(checkpoint, publicKey))
        {
            return AuditVerification.Broken(records.Count, checkpoint.Sequence, "the checkpoint's signature does not verify under the audit public key");
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

        if (checkpoint is { Sequence: > 0 } && (checkpoint.Sequence > records.Count || records[(int)checkpoint.Sequence - 1].Hash != checkpoint.Hash))
        {
            return AuditVerification.Broken(records.Count, checkpoint.Sequence, checkpoint.Sequence > records.Count
                ? $"the checkpoint kept outside the database is record {checkpoint.Sequence}; the ledger ends at {records.Count}: its tail was cut"
                : $"record {checkpoint.Sequence} is not the one the checkpoint kept outside the database names: the ledger was rewritten");
        }

        return AuditVerification.Whole(records.Count);
    }

    private static string HashOf(long sequence, string previousHash, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sequence.ToString(CultureInfo.InvariantCulture)}\n{previousHash}\n{body}")));

    private static byte[] SignedBytes(long sequence, string hash) =>
        Encoding.UTF8.GetBytes($"factorymesh-audit-head\n{sequence.ToString(CultureInfo.InvariantCulture)}\n{hash}");

    private static bool SignatureVerifies(AuditHead head, ECDsa publicKey)
    {
        try
        {
            return publicKey.VerifyData(SignedBytes(head.Sequence, head.Hash), Convert.FromHexString(head.Signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private AuditHead Sign(long sequence, string hash) =>
        new(sequence, hash, Convert.ToHexStringLower(_signingKey.SignData(SignedBytes(sequence, hash), HashAlgorithmName.SHA256)));
}
