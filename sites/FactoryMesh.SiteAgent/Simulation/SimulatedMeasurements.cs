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
    /// An appraisal policy (the control plane's <c>AppraisalPolicyPath</c> format) allowing exactly these measurements in
    /// every simulated format: the simulated TEE's CPU and GPUs; NVIDIA's GPUs by chip, with the models registered on
    /// them; Intel's TDX with an up-to-date TCB; and Trustee's devices by the trustworthiness it states.
    /// </summary>
    public static string AppraisalPolicyJson()
    {
        static JsonArray Values(IEnumerable<string> values) =>
            [.. values.Distinct(StringComparer.Ordinal).Select(v => (JsonNode)new JsonObject { ["value"] = v })];
        static JsonArray Strings(params IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal).Select(v => (JsonNode)v)];

        var cpu = new JsonObject();
        foreach (var (name, value) in Cpu)
        {
            cpu[name] = Values([value]);
        }

        var classes = new JsonObject
        {
            ["sim-cpu"] = new JsonObject { ["kind"] = "cpu", ["formats"] = Strings("sim-jws"), ["referenceValues"] = cpu.DeepClone() },
            ["sim-gpu"] = new JsonObject
            {
                ["kind"] = "gpu",
                ["formats"] = Strings("sim-jws"),
                ["referenceValues"] = new JsonObject
                {
                    ["firmware"] = Values(GpuModelCatalog.All.Select(m => m.Firmware)),
                    ["vbios"] = Values(GpuModelCatalog.All.Select(m => m.Vbios)),
                    ["driver"] = Values([Driver]),
                },
            },
            ["tdx"] = new JsonObject
            {
                ["kind"] = "cpu", ["formats"] = Strings("ita-jwt"), ["match"] = Strings("TDX"), ["allowedTcbStatuses"] = Strings("UpToDate"), ["referenceValues"] = cpu.DeepClone(),
            },
            ["ear-cpu"] = new JsonObject { ["kind"] = "cpu", ["formats"] = Strings("ear-jwt") },
        };
        foreach (var chip in GpuModelCatalog.All.GroupBy(m => m.HwModel.Split(' ')[0], StringComparer.Ordinal))
        {
            classes[$"nvidia-{chip.Key.ToLowerInvariant()}"] = new JsonObject
            {
                ["kind"] = "gpu",
                ["formats"] = Strings("nvidia-eat", "ita-jwt"),
                ["match"] = Strings(chip.Key),
                ["registeredModels"] = Strings(chip.Select(m => m.Name)),
                ["referenceValues"] = new JsonObject { ["driver"] = Values([Driver]), ["vbios"] = Values(chip.Select(m => m.Vbios)) },
            };
            classes[$"ear-{chip.Key.ToLowerInvariant()}"] = new JsonObject
            {
                ["kind"] = "gpu", ["formats"] = Strings("ear-jwt"), ["match"] = Strings(chip.Key), ["registeredModels"] = Strings(chip.Select(m => m.Name)),
            };
        }

        var document = new JsonObject { ["deviceClasses"] = classes };
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(text)));
}
