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

    /// <summary>The token's own id (JWT <c>jti</c>).</summary>
    public const string TokenId = "jti";

    /// <summary>The token's family: the id of the token it was first issued as, kept by every refresh.</summary>
    public const string Family = "fam";

    /// <summary>The family of the caller's token: its <c>fam</c> claim, or its id for tokens issued before families.</summary>
    public static string? FamilyOf(System.Security.Claims.ClaimsPrincipal caller) =>
        caller?.FindFirst(Family)?.Value ?? caller?.FindFirst(TokenId)?.Value;

    /// <summary>The family a token id belongs to: ids of refreshed tokens are <c>{family}.{n}</c>.</summary>
    public static string FamilyOfId(string tokenId)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        var dot = tokenId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? tokenId[..dot] : tokenId;
    }
}
