using System.Text.Json.Nodes;

namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The body of a key release: the TEE key the node's attestation bound, and the assignment's placement epoch.</summary>
/// <param name="TeePublicKey">The TEE's public key as a JWK object; the key comes back wrapped to it.</param>
/// <param name="PlacementEpoch">The placement epoch of the node's assignment.</param>
internal sealed record KeyReleaseRequest(JsonObject TeePublicKey, long PlacementEpoch);
