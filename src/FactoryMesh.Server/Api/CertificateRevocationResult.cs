namespace FactoryMesh.Server.Api;

/// <summary>Answer of <c>POST /api/v1/attestation/revocations</c>.</summary>
/// <param name="Certificate">The revoked certificate's thumbprint or serial, upper-case hex.</param>
/// <param name="UntrustedNodes">The nodes its revocation untrusted.</param>
public sealed record CertificateRevocationResult(string Certificate, IReadOnlyList<string> UntrustedNodes);
