namespace FactoryMesh.Contracts.Identity;

/// <summary>
/// The rule for every name in FactoryMesh (site ids, node names, tenant and model ids): a DNS label —
/// 1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit. Names
/// appear in URLs, SignalR group names and grain keys, so one strict rule keeps them safe everywhere.
/// </summary>
public static class ResourceName
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 63;

    /// <summary>What a valid name looks like, for error messages.</summary>
    public const string Rule = "1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit";

    /// <summary>True when <paramref name="value"/> is a valid name.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
