using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The keys API tokens are signed with, by key id (the token's <c>kid</c>): the newest signs, and a key replaced by a
/// rotation keeps verifying for <see cref="RetiredKeyLifetime"/> (the longest a token it signed can live), so rotating
/// cuts off no caller. The first key (<c>k0</c>) is derived from <c>signing.key</c> and never written down; rotated
/// keys live in <c>token-keys.json</c> (0600) in the data folder. An emergency rotation retires every earlier key at
/// once, ending every token they signed.
/// </summary>
public sealed class TokenSigningKeys
{
    /// <summary>The ring's file name in the data folder.</summary>
    public const string FileName = "token-keys.json";

    /// <summary>The id of the key derived from <c>signing.key</c>; tokens without a <c>kid</c> were signed with it.</summary>
    public const string OriginalKeyId = "k0";

    /// <summary>How long a replaced key keeps verifying: the longest lifetime a token may be issued for.</summary>
    public static readonly TimeSpan RetiredKeyLifetime = TimeSpan.FromHours(8760);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly byte[] _originalKey;
    private readonly TimeProvider _clock;
    private RingFile _ring;

    /// <summary>Opens the ring in <paramref name="dataDirectory"/>; <paramref name="originalKey"/> is <c>k0</c>.</summary>
    public TokenSigningKeys(string dataDirectory, byte[] originalKey, TimeProvider clock)
    {
        _path = Path.Combine(dataDirectory, FileName);
        _originalKey = originalKey;
        _clock = clock;
        if (File.Exists(_path))
        {
            SecretFileModes.EnsureOwnerOnly(_path);
            _ring = JsonSerializer.Deserialize<RingFile>(File.ReadAllText(_path), Json) ?? throw new InvalidOperationException($"{_path} is empty.");
        }
        else
        {
            _ring = new RingFile([new RingKey(OriginalKeyId, null, DateTimeOffset.MinValue, null)]);
        }
    }

    /// <summary>The key new tokens are signed with.</summary>
    public SymmetricSecurityKey Active
    {
        get
        {
            lock (_lock)
            {
                return SecurityKeyOf(_ring.Keys[^1]);
            }
        }
    }

    /// <summary>The keys that may verify a token naming <paramref name="keyId"/> (none for an unknown or expired key).</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId)
    {
        var id = string.IsNullOrEmpty(keyId) ? OriginalKeyId : keyId;
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            return _ring.Keys.Where(k => k.Id == id && (k.RetiredAt is not { } retired || retired + RetiredKeyLifetime > now)).Select(SecurityKeyOf).ToArray();
        }
    }

    /// <summary>
    /// Makes a new key the signing key. Earlier keys keep verifying their tokens until those expire, or, when
    /// <paramref name="retireEarlier"/> (a key is feared stolen), stop verifying at once. Returns the new key's id.
    /// </summary>
    public string Rotate(bool retireEarlier)
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            var earlier = retireEarlier
                ? []
                : _ring.Keys.Select(k => k.RetiredAt is null ? k with { RetiredAt = now } : k).Where(k => k.RetiredAt + RetiredKeyLifetime > now).ToList();
            var fresh = new RingKey($"k{now.ToUnixTimeMilliseconds()}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(SigningKeyStore.KeyBytes)), now, null);
            var ring = new RingFile([.. earlier, fresh]);
            OwnerOnlyFile.WriteAllText(_path, JsonSerializer.Serialize(ring, Json));
            _ring = ring;
            return fresh.Id;
        }
    }

    private SymmetricSecurityKey SecurityKeyOf(RingKey key) =>
        new(key.Key is null ? _originalKey : Convert.FromBase64String(key.Key)) { KeyId = key.Id };

    private sealed record RingFile(IReadOnlyList<RingKey> Keys);

    // Key is null for k0, which is derived from signing.key rather than stored.
    private sealed record RingKey(string Id, string? Key, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);
}
