using System.Text;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Values from evidence (component ids, measurement names and values, TEE kinds) that appraisal details quote. Even
/// verified evidence is written by the node, and a compromised node signs whatever it likes; details become trust
/// reasons that dashboards, logs and the audit show. So a quoted value keeps only characters that ids and version
/// strings use, each other one shown as '?', and at most <see cref="MaxLength"/> of them.
/// </summary>
public static class EvidenceText
{
    /// <summary>The most characters of one value a detail quotes.</summary>
    public const int MaxLength = 64;

    /// <summary><paramref name="value"/> made safe to quote: allowed characters only, capped, "(none)" for null.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var kept = Math.Min(value.Length, MaxLength);
        var builder = new StringBuilder(kept + 1);
        foreach (var c in value.AsSpan(0, kept))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '+' or '@' ? c : '?');
        }

        return value.Length > MaxLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
