using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace FactoryMesh.Server.Security;

/// <summary>
/// The keys API tokens are signed with, by key id (the token's <c>kid</c>): the newest signs, and a key replaced by a
/// rotation keeps verifying for <see cref="RetiredKeyLifetime"/> (the longest a token it signed can live), so rotating
/// cuts off no caller. The first key (<c>k0</c>) is derived from the server's secret and never written down; rotated
/// keys live in an <see cref="ITokenKeyRingStore"/> (the data folder's file, or the cluster's database), read again
/// every <see cref="RefreshInterval"/> so a rotation through another silo takes effect here too. An emergency rotation
/// retires every earlier key at once, ending every token they signed.
/// </summary>
public sealed partial class TokenSigningKeys
{
    /// <summary>The id of the key derived from the server's secret; tokens without a <c>kid</c> were signed with it.</summary>
    public const string OriginalKeyId = "k0";

    /// <summary>How long a replaced key keeps verifying: the longest lifetime a token may be issued for.</summary>
    public static readonly TimeSpan RetiredKeyLifetime = TimeSpan.FromHours(8760);

    /// <summary>How often the ring is read again from its store.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private const int RotationAttempts = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _lock = new();
    private readonly ITokenKeyRingStore _store;
    private readonly byte[] _originalKey;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private RingFile _ring;
    private long _version;
    private DateTimeOffset _loadedAt;

    /// <summary>Opens the ring in <paramref name="store"/>; <paramref name="originalKey"/> is <c>k0</c>.</summary>
    public TokenSigningKeys(ITokenKeyRingStore store, byte[] originalKey, TimeProvider clock, ILogger<TokenSigningKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _originalKey = originalKey;
        _clock = clock;
        _logger = logger;
        (_ring, _version) = Read(store.Load());
        _loadedAt = clock.GetUtcNow();
    }

    /// <summary>The key new tokens are signed with.</summary>
    public SymmetricSecurityKey Active
    {
        get
        {
            RefreshIfDue();
            lock (_lock)
            {
                return SecurityKeyOf(_ring.Keys[^1]);
            }
        }
    }

    /// <summary>The keys that may verify a token naming <paramref name="keyId"/> (none for an unknown or expired key).</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId)
    {
        RefreshIfDue();
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
        lock (_lock)
        {
            for (var attempt = 0; attempt < RotationAttempts; attempt++)
            {
                // From the ring as stored now: a rotation through another silo since the last refresh is kept.
                var (current, version) = Read(_store.Load());
                var now = _clock.GetUtcNow();
                var earlier = retireEarlier
                    ? []
                    : current.Keys.Select(k => k.RetiredAt is null ? k with { RetiredAt = now } : k).Where(k => k.RetiredAt + RetiredKeyLifetime > now).ToList();
                var fresh = new RingKey($"k{now.ToUnixTimeMilliseconds()}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(SigningKeyStore.KeyBytes)), now, null);
                var ring = new RingFile([.. earlier, fresh]);
                if (_store.TryStore(JsonSerializer.Serialize(ring, Json), version))
                {
                    _ring = ring;
                    _version = version + 1;
                    _loadedAt = now;
                    return fresh.Id;
                }
            }

            throw new InvalidOperationException($"The token key ring changed under {RotationAttempts} rotations in a row; try again.");
        }
    }

    private void RefreshIfDue()
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            if (now - _loadedAt < RefreshInterval)
            {
                return;
            }

            _loadedAt = now; // one reader per interval, even when the read fails
            try
            {
                var (ring, version) = Read(_store.Load());
                if (version != _version)
                {
                    (_ring, _version) = (ring, version);
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogRefreshFailed(exception); // the ring read last stays in force: no key is lost by a failed read
            }
        }
    }

    private static (RingFile Ring, long Version) Read(TokenKeyRingSnapshot snapshot) =>
        snapshot.Json is null
            ? (new RingFile([new RingKey(OriginalKeyId, null, DateTimeOffset.MinValue, null)]), snapshot.Version)
            : (JsonSerializer.Deserialize<RingFile>(snapshot.Json, Json) ?? throw new InvalidOperationException("The token key ring is empty."), snapshot.Version);

    private SymmetricSecurityKey SecurityKeyOf(RingKey key) =>
        new(key.Key is null ? _originalKey : Convert.FromBase64String(key.Key)) { KeyId = key.Id };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the token key ring failed; the ring read last stays in force")]
    private partial void LogRefreshFailed(Exception exception);

    private sealed record RingFile(IReadOnlyList<RingKey> Keys);

    // Key is null for k0, which is derived from the server's secret rather than stored.
    private sealed record RingKey(string Id, string? Key, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);
}
