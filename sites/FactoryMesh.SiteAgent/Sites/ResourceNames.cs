using System.Text;

namespace FactoryMesh.SiteAgent.Sites;

/// <summary>
/// The control plane's rule for site ids and node names: a DNS label (1 to 63 lowercase letters, digits and '-',
/// starting and ending with a letter or digit). Checked here so a bad name fails at start, not at every call.
/// </summary>
internal static class ResourceNames
{
    /// <summary>The rule, for error messages.</summary>
    public const string Rule = "1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit";

    /// <summary>True when <paramref name="value"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: >= 1 and <= 63 }
        && value[0] != '-' && value[^1] != '-'
        && value.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    /// <summary>Makes a valid name of <paramref name="value"/> (a host name, say): lower case, other characters to '-'.</summary>
    public static string FromHostName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            builder.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }

        var name = builder.ToString().Trim('-');
        name = name.Length > 63 ? name[..63].TrimEnd('-') : name;
        return name.Length == 0 ? "node" : name;
    }
}
