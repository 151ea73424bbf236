namespace FactoryMesh.Server.Api;

/// <summary>Answer of <c>POST /api/v1/tenants/{tenantId}/datakeys</c>: a new data key, once, and the same key wrapped under the tenant's KEK.</summary>
/// <param name="Key">The data key, base64: encrypt the artifact with it, then forget it.</param>
/// <param name="WrappedKey">The data key wrapped under the tenant's KEK: what the model definition stores.</param>
public sealed record IssuedDataKey(string Key, string WrappedKey);
