namespace FactoryMesh.Server.Api;

/// <summary>Body of <c>POST /api/v1/nodes/{nodeId}/revoke</c>.</summary>
/// <param name="Reason">Why, for the audit log.</param>
public sealed record NodeRevocationBody(string? Reason);

/// <summary>Body of <c>POST /api/v1/attestation/revocations</c>.</summary>
/// <param name="Certificate">The device certificate's SHA-256 thumbprint or serial number, hex.</param>
/// <param name="Reason">Why, for the audit log.</param>
public sealed record CertificateRevocationBody(string? Certificate, string? Reason);
