namespace FactoryMesh.Grains.Abstractions;

/// <summary>
/// The denylist of revoked API token families (key <see cref="Key"/>). A family is a token and every token refreshed
/// from it: revoking one revokes them all, so a thief who refreshed a stolen token loses it with the original.
/// </summary>
[Alias("FactoryMesh.ITokenRevocationGrain")]
public interface ITokenRevocationGrain : IGrainWithStringKey
{
    /// <summary>The key of the single list.</summary>
    public const string Key = "tokens";

    /// <summary>
    /// Revokes the family <paramref name="family"/> until <paramref name="until"/> (when the last token of it can have
    /// expired), durably and audited before it returns; every silo refuses its tokens within its refresh interval.
    /// </summary>
    [Alias("Revoke")]
    Task RevokeAsync(string family, DateTimeOffset until, string reason, string actor);

    /// <summary>Every revoked family whose tokens may still be unexpired.</summary>
    [Alias("GetRevoked"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<string>> GetRevokedAsync();
}
