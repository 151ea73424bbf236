namespace FactoryMesh.SiteAgent.ControlPlane;

/// <summary>The control plane's answer to a token refresh.</summary>
/// <param name="Token">The new bearer token.</param>
/// <param name="ExpiresAt">When it stops working.</param>
internal sealed record RefreshedToken(string Token, DateTimeOffset ExpiresAt);
