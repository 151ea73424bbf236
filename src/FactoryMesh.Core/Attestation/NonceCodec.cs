using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Challenge nonces that carry their own binding: 32 random bytes, the expiry, a tag of the node they were
/// issued to, and an HMAC-SHA256 over all three under a server key. So a nonce can be told apart as forged,
/// another node's, or expired without any lookup; single use is the node grain's job (one outstanding
/// challenge, consumed by the first submission).
/// </summary>
public sealed class NonceCodec
{
    /// <summary>Random bytes in every nonce.</summary>
    public const int RandomBytes = 32;

    private const int ExpiryBytes = 8;
    private const int NodeTagBytes = 8;
    private const int MacBytes = 16;
    private const int Length = RandomBytes + ExpiryBytes + NodeTagBytes + MacBytes;
    private readonly byte[] _key;

    /// <summary>Creates a codec keyed by <paramref name="key"/> (at least 32 bytes).</summary>
    public NonceCodec(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("A nonce key needs at least 32 bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A new base64url nonce for <paramref name="nodeId"/>, valid until <paramref name="expiresAt"/>.</summary>
    public string Issue(string nodeId, DateTimeOffset expiresAt)
    {
        var nonce = new byte[Length];
        RandomNumberGenerator.Fill(nonce.AsSpan(0, RandomBytes));
        BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(RandomBytes, ExpiryBytes), expiresAt.ToUnixTimeMilliseconds());
        NodeTag(nodeId).CopyTo(nonce.AsSpan(RandomBytes + ExpiryBytes));
        Mac(nonce.AsSpan(0, Length - MacBytes)).CopyTo(nonce.AsSpan(Length - MacBytes));
        return Base64UrlEncoder.Encode(nonce);
    }

    /// <summary>Which binding check <paramref name="nonce"/> fails for <paramref name="nodeId"/> at <paramref name="now"/>, or <see cref="AppraisalCheck.None"/>.</summary>
    public AppraisalCheck Check(string nonce, string nodeId, DateTimeOffset now)
    {
        byte[] bytes;
        try
        {
            bytes = Base64UrlEncoder.DecodeBytes(nonce);
        }
        catch (FormatException)
        {
            return AppraisalCheck.NonceForged;
        }

        if (bytes.Length != Length
            || !CryptographicOperations.FixedTimeEquals(Mac(bytes.AsSpan(0, Length - MacBytes)), bytes.AsSpan(Length - MacBytes)))
        {
            return AppraisalCheck.NonceForged;
        }

        if (!bytes.AsSpan(RandomBytes + ExpiryBytes, NodeTagBytes).SequenceEqual(NodeTag(nodeId)))
        {
            return AppraisalCheck.NonceOfAnotherNode;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(RandomBytes, ExpiryBytes)));
        return now >= expiresAt ? AppraisalCheck.NonceExpired : AppraisalCheck.None;
    }

    /// <summary>The nonce a GPU must answer with: base64url(SHA-256(challenge nonce ":" GPU id)).</summary>
    public static string DeriveGpuNonce(string challengeNonce, string gpuId) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{challengeNonce}:{gpuId}")));

    private byte[] Mac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_key, data)[..MacBytes];

    private static byte[] NodeTag(string nodeId) => SHA256.HashData(Encoding.UTF8.GetBytes(nodeId))[..NodeTagBytes];
}
