namespace FactoryMesh.Contracts.Artifacts;

/// <summary>What encrypting an artifact learned about its plaintext on the way through, so nothing reads the weights twice.</summary>
/// <param name="PlaintextSha256">SHA-256 of the plaintext, lowercase hex: the artifact's recorded <c>sha256</c>, which a node compares after decrypting.</param>
/// <param name="PlaintextLength">The plaintext's length in bytes.</param>
public sealed record ArtifactEncryptionResult(string PlaintextSha256, long PlaintextLength);
