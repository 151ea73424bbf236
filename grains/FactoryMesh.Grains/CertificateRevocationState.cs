namespace FactoryMesh.Grains;

/// <summary>The certificate revocation list's durable state.</summary>
[GenerateSerializer]
public sealed class CertificateRevocationState
{
    /// <summary>Revoked certificates (upper-case thumbprint or serial) and why.</summary>
    [Id(0)] public Dictionary<string, string> Revoked { get; set; } = new(StringComparer.Ordinal);
}
