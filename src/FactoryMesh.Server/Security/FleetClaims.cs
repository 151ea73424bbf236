namespace FactoryMesh.Server.Security;

/// <summary>Claim types in FactoryMesh tokens.</summary>
public static class FleetClaims
{
    /// <summary>The caller's role, one of <see cref="Roles"/>.</summary>
    public const string Role = "role";

    /// <summary>The site an agent token speaks for.</summary>
    public const string Site = "site";

    /// <summary>The tenant a viewer token may see.</summary>
    public const string Tenant = "tenant";

    /// <summary>Who the token was issued to.</summary>
    public const string Subject = "sub";
}
