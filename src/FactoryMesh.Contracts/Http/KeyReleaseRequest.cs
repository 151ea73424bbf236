using System.Text.Json;

namespace FactoryMesh.Contracts.Http;

/// <summary>Body of <c>POST /api/v1/nodes/{nodeId}/keys/{tenantId}/{modelId}</c>.</summary>
/// <param name="TeePublicKey">The TEE public key (EC P-384 JWK object) the key is to be wrapped to: must be the attested one.</param>
/// <param name="PlacementEpoch">The placement epoch of the node's assignment, as its replica list shows it.</param>
public sealed record KeyReleaseRequest(JsonElement? TeePublicKey, long? PlacementEpoch);
