namespace FactoryMesh.Grains;

/// <summary>The token denylist's durable state.</summary>
[GenerateSerializer]
public sealed class TokenRevocationState
{
    /// <summary>Revoked token families and until when their tokens could live.</summary>
    [Id(0)] public Dictionary<string, DateTimeOffset> Revoked { get; set; } = new(StringComparer.Ordinal);
}
