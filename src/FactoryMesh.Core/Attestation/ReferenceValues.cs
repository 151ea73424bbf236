using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// Allowed measurements per component kind and measurement name, e.g. <c>gpu/firmware</c>. Loaded from a JSON
/// file: <c>{"components": {"gpu": {"firmware": [{"value": "96.00.5E.00.01", "expiresAt": "2027-06-30T00:00:00Z"}]}}}</c>.
/// Its version is the SHA-256 of the file, so every audit record says which reference values judged it.
/// </summary>
public sealed class ReferenceValues
{
    private readonly Dictionary<string, Dictionary<string, IReadOnlyList<ReferenceValue>>> _components;

    /// <summary>Creates reference values from component kind → measurement name → allowed values.</summary>
    public ReferenceValues(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<ReferenceValue>>> components, string version)
    {
        ArgumentNullException.ThrowIfNull(components);
        _components = components.ToDictionary(
            c => c.Key,
            c => c.Value.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            StringComparer.Ordinal);
        Version = version;
    }

    /// <summary>No reference values at all: every appraisal fails closed.</summary>
    public static ReferenceValues None { get; } = new(new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<ReferenceValue>>>(), "none");

    /// <summary>Identifies this set of values in audit records.</summary>
    public string Version { get; }

    /// <summary>The component kinds that have reference values: evidence must state each of them.</summary>
    public IEnumerable<string> Kinds => _components.Keys;

    /// <summary>The measurements named for <paramref name="kind"/>: evidence for such a component must state each.</summary>
    public IEnumerable<string> MeasurementNames(string kind) =>
        _components.TryGetValue(kind, out var measurements) ? measurements.Keys : [];

    /// <summary>The allowed values for <paramref name="kind"/>/<paramref name="measurement"/>, or null when there are none.</summary>
    public IReadOnlyList<ReferenceValue>? Allowed(string kind, string measurement) =>
        _components.TryGetValue(kind, out var measurements) && measurements.TryGetValue(measurement, out var values) ? values : null;

    /// <summary>Parses the JSON file format described on the class.</summary>
    public static ReferenceValues Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var components = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<ReferenceValue>>>(StringComparer.Ordinal);
        foreach (var component in document.RootElement.GetProperty("components").EnumerateObject())
        {
            var measurements = new Dictionary<string, IReadOnlyList<ReferenceValue>>(StringComparer.Ordinal);
            foreach (var measurement in component.Value.EnumerateObject())
            {
                measurements[measurement.Name] = measurement.Value.EnumerateArray()
                    .Select(v => new ReferenceValue(
                        v.GetProperty("value").GetString() ?? throw new FormatException($"{component.Name}/{measurement.Name}: a value is null."),
                        v.TryGetProperty("expiresAt", out var expires) && expires.ValueKind != JsonValueKind.Null ? expires.GetDateTimeOffset() : null))
                    .ToArray();
            }

            components[component.Name] = measurements;
        }

        return new ReferenceValues(components, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16]);
    }
}
