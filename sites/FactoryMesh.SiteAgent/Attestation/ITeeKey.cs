using System.Text.Json.Nodes;

namespace FactoryMesh.SiteAgent.Attestation;

/// <summary>
/// The TEE key a node's evidence binds: released data keys come wrapped to its public half, and only the TEE opens
/// them. The simulated TEE implements it in process; on real hardware <c>--tee-key-command</c> names a program inside
/// the TEE that does (<see cref="Hardware.CommandTeeKey"/>). A node without one gets no keys.
/// </summary>
internal interface ITeeKey
{
    /// <summary>The public key as a JWK object, exactly as the evidence binds it.</summary>
    JsonObject PublicJwk { get; }

    /// <summary>Opens a data key released as a compact JWE (<c>ECDH-ES+A256KW</c>, <c>A256GCM</c>); throws a <see cref="System.Security.Cryptography.CryptographicException"/> when it cannot.</summary>
    Task<byte[]> UnwrapAsync(string jwe, CancellationToken cancellationToken);
}
