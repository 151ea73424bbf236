namespace FactoryMesh.Grains.Abstractions;

/// <summary>Where a model's encrypted weights are and how to check and open them.</summary>
/// <param name="Uri">Where the encrypted artifact can be fetched.</param>
/// <param name="Sha256">SHA-256 of the plaintext weights, hex: what a node checks after decrypting.</param>
/// <param name="WrappedKey">The artifact's data key wrapped under the tenant's key-encryption key; useless without the server.</param>
[GenerateSerializer, Immutable]
public sealed record ModelArtifact(
    [property: Id(0)] string Uri,
    [property: Id(1)] string Sha256,
    [property: Id(2)] string WrappedKey);
