using System.Text.Json.Nodes;

namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>
/// The TEE key a node's evidence binds: released data keys come wrapped to its public half, and only the TEE opens them
/// and uses them, so the agent never holds a data key. The simulated TEE implements it in process; on real hardware
/// <c>--tee-key-command</c> names a program inside the TEE that does (<see cref="Hardware.CommandTeeKey"/>). A node
/// without one gets no keys.
/// </summary>
internal interface ITeeKey
{
    /// <summary>The public key as a JWK object, exactly as the evidence binds it.</summary>
    JsonObject PublicJwk { get; }

    /// <summary>
    /// Opens the data key released as <paramref name="jwe"/> (<c>ECDH-ES+A256KW</c>, <c>A256GCM</c>) inside the TEE, decrypts
    /// the artifact at <paramref name="ciphertextPath"/> to <paramref name="plaintextPath"/> with it, forgets it, and
    /// returns the plaintext's SHA-256 (hex). Throws a <see cref="System.Security.Cryptography.CryptographicException"/>
    /// when the key does not open or the artifact does not decrypt.
    /// </summary>
    Task<string> OpenArtifactAsync(string jwe, string ciphertextPath, string plaintextPath, CancellationToken cancellationToken);
}
