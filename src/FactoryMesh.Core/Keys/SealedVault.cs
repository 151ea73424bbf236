namespace FactoryMesh.Core.Keys;

/// <summary>The vault file as written: the KEK document sealed under the vault's master key.</summary>
/// <param name="Format">The envelope's format version (2; version 1 was the document in clear).</param>
/// <param name="Sealed">base64(nonce ‖ AES-256-GCM ciphertext ‖ tag) of the KEK document.</param>
internal sealed record SealedVault(int Format, string? Sealed)
{
    /// <summary>The envelope format this code writes and reads.</summary>
    public const int CurrentFormat = 2;
}
