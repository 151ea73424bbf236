namespace FactoryMesh.Grains;

/// <summary>Freshness rules of attestation, section <c>FactoryMesh:Attestation</c>.</summary>
public sealed class AttestationOptions
{
    /// <summary>Trust lasts at most this long after an appraisal (<c>MaxAgeSeconds</c>). Default 600 s.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Life of a challenge nonce (<c>NonceLifetimeSeconds</c>). Default 120 s.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary><see cref="MaxAge"/> in seconds, as configuration states it (<c>FactoryMesh:Attestation:MaxAgeSeconds</c>).</summary>
    public double MaxAgeSeconds { get => MaxAge.TotalSeconds; set => MaxAge = TimeSpan.FromSeconds(value); }

    /// <summary><see cref="NonceLifetime"/> in seconds (<c>FactoryMesh:Attestation:NonceLifetimeSeconds</c>).</summary>
    public double NonceLifetimeSeconds { get => NonceLifetime.TotalSeconds; set => NonceLifetime = TimeSpan.FromSeconds(value); }
}
