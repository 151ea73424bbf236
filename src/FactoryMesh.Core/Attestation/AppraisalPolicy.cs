using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FactoryMesh.Core.Attestation;

/// <summary>
/// How evidence is appraised, per device class, loaded from one JSON file whose SHA-256 is its version (every audit
/// record names the version that judged it):
/// <code>
/// {"deviceClasses": {
///    "h100": {"kind": "gpu", "match": ["GH100"], "registeredModels": ["H100"],
///             "referenceValues": {"driver": [{"value": "570.133.20", "version": "R570", "expiresAt": "2027-06-30T00:00:00Z"}]}},
///    "tdx":  {"kind": "cpu", "match": ["TDX"], "allowedTcbStatuses": ["UpToDate"], "referenceValues": {"mrtd": [{"value": "…"}]}},
///    "gpu-ear": {"kind": "gpu", "formats": ["ear-jwt"], "trustVector": {"executables": "affirming", "file-system": "warning"}},
///    "nvswitch": {"kind": "switch", "optional": true}},
///  "components": {"cpu": {"mrtd": [{"value": "…"}]}}}
/// </code>
/// <c>components</c> is the shorter form: reference values per component kind, each kind a class of its own that
/// covers every device of the kind. A device is appraised by the first class of its kind that covers it (declared
/// classes in file order, then the kind's own); a class may cover only the devices of some evidence formats (an EAR's
/// devices are judged by the trustworthiness its verifier states, NVIDIA's by the versions it reports). A device no
/// class covers fails.
/// </summary>
public sealed class AppraisalPolicy
{
    private static readonly string[] Kinds3 = ["cpu", "gpu", NvidiaDeviceClaims.SwitchKind];
    private readonly List<DeviceClass> _classes;

    /// <summary>Creates a policy of <paramref name="classes"/> (in matching order).</summary>
    public AppraisalPolicy(IEnumerable<DeviceClass> classes, string version)
    {
        _classes = [.. classes];
        Version = version;
    }

    /// <summary>No classes at all: every appraisal fails closed.</summary>
    public static AppraisalPolicy None { get; } = new([], "none");

    /// <summary>Identifies this policy in audit records: the first 16 hex digits of its file's SHA-256.</summary>
    public string Version { get; }

    /// <summary>The classes, in matching order.</summary>
    public IReadOnlyList<DeviceClass> Classes => _classes;

    /// <summary>The component kinds every node must state: those of the classes that are not optional.</summary>
    public IEnumerable<string> RequiredKinds => _classes.Where(c => !c.Optional).Select(c => c.Kind).Distinct(StringComparer.Ordinal);

    /// <summary>The class that appraises <paramref name="component"/>, or null when none covers it.</summary>
    public DeviceClass? ClassOf(ComponentEvidence component) => _classes.FirstOrDefault(c => c.Covers(component));

    /// <summary>Parses the file format described on the class; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static AppraisalPolicy Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var classes = new List<DeviceClass>();
            if (root.TryGetProperty("deviceClasses", out var declared))
            {
                foreach (var entry in declared.EnumerateObject())
                {
                    classes.Add(ReadClass(entry.Name, entry.Value));
                }
            }

            if (root.TryGetProperty("components", out var components))
            {
                foreach (var kind in components.EnumerateObject())
                {
                    if (classes.Any(c => c.Name == kind.Name))
                    {
                        throw new FormatException($"'{kind.Name}' is both a device class and a component kind.");
                    }

                    classes.Add(new DeviceClass(kind.Name, kind.Name, [], [], Optional: false, ReadReferenceValues(kind.Name, kind.Value), null, null));
                }
            }

            return new AppraisalPolicy(classes, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16]);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"The appraisal policy is not valid: {exception.Message}", exception);
        }
    }

    private static DeviceClass ReadClass(string name, JsonElement entry)
    {
        var kind = entry.GetProperty("kind").GetString() ?? throw new FormatException($"{name}: kind is required.");
        if (!Kinds3.Contains(kind))
        {
            throw new FormatException($"{name}: kind must be one of {string.Join(", ", Kinds3)}.");
        }

        var trustVector = entry.TryGetProperty("trustVector", out var tv)
            ? tv.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetString() is { } tier && TrustTiers.IsTier(tier)
                ? tier
                : throw new FormatException($"{name}: trustVector.{c.Name} must be affirming, warning or none."), StringComparer.Ordinal)
            : null;
        return new DeviceClass(
            name,
            kind,
            Strings(entry, "match"),
            Strings(entry, "registeredModels"),
            entry.TryGetProperty("optional", out var optional) && optional.GetBoolean(),
            entry.TryGetProperty("referenceValues", out var values) ? ReadReferenceValues(name, values) : new Dictionary<string, IReadOnlyList<ReferenceValue>>(),
            entry.TryGetProperty("allowedTcbStatuses", out _) ? Strings(entry, "allowedTcbStatuses") : null,
            trustVector,
            Strings(entry, "formats"));
    }

    private static Dictionary<string, IReadOnlyList<ReferenceValue>> ReadReferenceValues(string owner, JsonElement measurements)
    {
        var result = new Dictionary<string, IReadOnlyList<ReferenceValue>>(StringComparer.Ordinal);
        foreach (var measurement in measurements.EnumerateObject())
        {
            result[measurement.Name] = measurement.Value.EnumerateArray()
                .Select(v => new ReferenceValue(
                    v.GetProperty("value").GetString() ?? throw new FormatException($"{owner}/{measurement.Name}: a value is null."),
                    v.TryGetProperty("expiresAt", out var expires) && expires.ValueKind != JsonValueKind.Null ? expires.GetDateTimeOffset() : null,
                    v.TryGetProperty("version", out var version) ? version.GetString() : null))
                .ToArray();
        }

        return result;
    }

    private static string[] Strings(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var list) ? [.. list.EnumerateArray().Select(s => s.GetString() ?? throw new FormatException($"{name} holds a null."))] : [];
}
