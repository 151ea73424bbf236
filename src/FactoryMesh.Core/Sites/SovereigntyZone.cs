namespace FactoryMesh.Core.Sites;

/// <summary>A sovereignty zone name (<c>EU</c>, <c>EEA</c>, <c>FIVE-EYES</c>): 2 to 32 upper-case letters, digits or '-'.</summary>
public static class SovereigntyZone
{
    /// <summary>What a valid zone looks like, for error messages.</summary>
    public const string Rule = "A zone is 2 to 32 upper-case letters, digits or '-', e.g. 'EU'.";

    /// <summary>True when <paramref name="zone"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? zone) =>
        zone is { Length: >= 2 and <= 32 } && zone.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-');
}
