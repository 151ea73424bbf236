namespace FactoryMesh.Contracts.Http;

/// <summary>A model's data key, released to a node (<c>POST /api/v1/nodes/{nodeId}/keys/{tenantId}/{modelId}</c>): a compact JWE only the node's TEE key opens.</summary>
/// <param name="Jwe">The wrapped key.</param>
/// <param name="Alg">The key management algorithm, <c>ECDH-ES+A256KW</c>.</param>
/// <param name="Enc">The content encryption, <c>A256GCM</c>.</param>
/// <param name="PlacementEpoch">The placement epoch it was released for.</param>
public sealed record ReleasedKey(string Jwe, string Alg, string Enc, long PlacementEpoch)
{
    /// <summary>The key management algorithm of every released key.</summary>
    public const string KeyManagement = "ECDH-ES+A256KW";

    /// <summary>The content encryption of every released key.</summary>
    public const string ContentEncryption = "A256GCM";
}
