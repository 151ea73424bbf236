using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// What simulated nodes measure: a CPU TEE's launch measurements (as TDX's MRTD and RTMR0: SHA-384 digests of a
/// fixed guest image and firmware), and per GPU the firmware, VBIOS and driver versions of its model. The same
/// values make the reference values, so the two can never disagree.
/// </summary>
internal static class SimulatedMeasurements
{
    /// <summary>The GPU driver every simulated node runs.</summary>
    public const string Driver = "570.172.08";

    /// <summary>The CPU TEE's measurements.</summary>
    public static IReadOnlyDictionary<string, string> Cpu { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mrtd"] = Digest("factorymesh/simulated-guest-image/1.4.2"),
        ["rtmr0"] = Digest("factorymesh/simulated-guest-firmware/2025.11"),
    };

    /// <summary>One GPU's measurements for <paramref name="model"/>.</summary>
    public static IReadOnlyDictionary<string, string> Gpu(GpuModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["firmware"] = model.Firmware,
            ["vbios"] = model.Vbios,
            ["driver"] = Driver,
        };
    }

    /// <summary>
    /// Reference values (the control plane's <c>ReferenceValuesPath</c> format) allowing exactly these measurements.
    /// </summary>
    public static string ReferenceValuesJson()
    {
        static JsonArray Values(IEnumerable<string> values) =>
            [.. values.Distinct(StringComparer.Ordinal).Select(v => (JsonNode)new JsonObject { ["value"] = v })];

        var cpu = new JsonObject();
        foreach (var (name, value) in Cpu)
        {
            cpu[name] = Values([value]);
        }

        var gpu = new JsonObject
        {
            ["firmware"] = Values(GpuModelCatalog.All.Select(m => m.Firmware)),
            ["vbios"] = Values(GpuModelCatalog.All.Select(m => m.Vbios)),
            ["driver"] = Values([Driver]),
        };
        var document = new JsonObject { ["components"] = new JsonObject { ["cpu"] = cpu, ["gpu"] = gpu } };
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(text)));
}
