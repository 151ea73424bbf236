namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Device certificate chains already validated, by their thumbprints, until the earliest certificate of the
/// chain expires. A routine re-attestation then costs one signature check instead of a chain build. Bounded:
/// when full, expired entries go first, then the oldest half.
/// </summary>
public sealed class CertificateChainCache(int capacity = 4096)
{
    private readonly Dictionary<string, (DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, long Order)> _chains = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _order;

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _chains.Count;
            }
        }
    }

    /// <summary>True when the chain identified by <paramref name="chainKey"/> was validated and is still within its validity at <paramref name="now"/>.</summary>
    public bool IsValidated(string chainKey, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _chains.TryGetValue(chainKey, out var entry) && now >= entry.ValidFrom && now < entry.ValidUntil;
        }
    }

    /// <summary>Remembers a validated chain, valid from <paramref name="validFrom"/> until <paramref name="validUntil"/>.</summary>
    public void Remember(string chainKey, DateTimeOffset validFrom, DateTimeOffset validUntil, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_chains.Count >= capacity && !_chains.ContainsKey(chainKey))
            {
                foreach (var expired in _chains.Where(c => c.Value.ValidUntil <= now).Select(c => c.Key).ToList())
                {
                    _chains.Remove(expired);
                }

                if (_chains.Count >= capacity)
                {
                    foreach (var oldest in _chains.OrderBy(c => c.Value.Order).Take(_chains.Count / 2 + 1).Select(c => c.Key).ToList())
                    {
                        _chains.Remove(oldest);
                    }
                }
            }

            _chains[chainKey] = (validFrom, validUntil, ++_order);
        }
    }
}
