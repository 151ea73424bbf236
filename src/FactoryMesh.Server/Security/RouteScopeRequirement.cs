using Microsoft.AspNetCore.Authorization;

namespace FactoryMesh.Server.Security;

/// <summary>An authorization requirement: the caller must be within <see cref="Scope"/> of the route's site or tenant.</summary>
/// <param name="Scope">Who the route admits.</param>
public sealed record RouteScopeRequirement(RouteScope Scope) : IAuthorizationRequirement;
