namespace FactoryMesh.Core.Validation;

/// <summary>
/// Field-level validation failures, keyed by the JSON path of the offending field (<c>gpuCount</c>,
/// <c>items[3].gpuUtilization</c>), in the shape RFC 7807 validation problems carry them.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when no rule failed.</summary>
    public bool IsValid => _errors.Count == 0;

    /// <summary>Records that <paramref name="field"/> broke a rule, described by <paramref name="message"/>.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }

        messages.Add(message);
    }

    /// <summary>Adds <paramref name="message"/> for <paramref name="field"/> when <paramref name="broken"/> is true.</summary>
    public void AddIf(bool broken, string field, string message)
    {
        if (broken)
        {
            Add(field, message);
        }
    }

    /// <summary>The failures as field to messages, ready for a validation problem.</summary>
    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
