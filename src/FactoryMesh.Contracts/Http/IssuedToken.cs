namespace FactoryMesh.Contracts.Http;

/// <summary>A freshly issued (or refreshed) bearer token: the answer of <c>POST /api/v1/tokens</c> and <c>/tokens/refresh</c>.</summary>
/// <param name="Token">The compact JWT, to send as <c>Authorization: Bearer …</c>.</param>
/// <param name="Id">Its id (<c>jti</c>): what <c>POST /api/v1/tokens/{id}/revoke</c> takes.</param>
/// <param name="Role">Its role.</param>
/// <param name="Site">The site it speaks for (agents).</param>
/// <param name="Tenant">The tenant it may see (viewers).</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record IssuedToken(string Token, string Id, string Role, string? Site, string? Tenant, DateTimeOffset ExpiresAt);
