using System.Text.RegularExpressions;

namespace FactoryMesh.SiteAgent.Replicas;

/// <summary>Reads the expected plaintext digest beside an encrypted artifact: the first 64 hex digits in the file, as <c>fmctl model encrypt</c> prints it.</summary>
internal static partial class ArtifactDigest
{
    /// <summary>The digest in <paramref name="text"/>, lower-case, or null when there is none.</summary>
    public static string? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Sha256Hex().Match(text);
        return match.Success ? match.Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex("(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
