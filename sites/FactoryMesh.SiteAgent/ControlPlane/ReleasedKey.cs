namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>A model's data key, released to a node: a compact JWE only the node's TEE key opens.</summary>
/// <param name="Jwe">The wrapped key.</param>
/// <param name="Alg">The key management algorithm, <c>ECDH-ES+A256KW</c>.</param>
/// <param name="Enc">The content encryption, <c>A256GCM</c>.</param>
/// <param name="PlacementEpoch">The placement epoch it was released for.</param>
internal sealed record ReleasedKey(string Jwe, string Alg, string Enc, long PlacementEpoch);
