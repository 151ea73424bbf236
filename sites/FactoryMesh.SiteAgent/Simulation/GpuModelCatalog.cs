namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>
/// The GPU models a simulated fleet can hold, with public figures: H100 SXM (80 GiB, 700 W), H200 SXM (141 GiB,
/// 700 W), B200 (192 GiB, 1000 W). Throughputs are round figures of the right order for a 70B-class model in FP8.
/// </summary>
internal static class GpuModelCatalog
{
    /// <summary>NVIDIA H100 SXM.</summary>
    public static readonly GpuModelSpec H100 = new("H100", 80, 700, 75, 350, 3_000, "96.00.9f.00.04", "96.00.99.00.01", "GH100 A01 GSP BROM");

    /// <summary>NVIDIA H200 SXM.</summary>
    public static readonly GpuModelSpec H200 = new("H200", 141, 700, 80, 350, 4_200, "97.00.7a.00.02", "97.00.85.00.03", "GH100 A01 GSP BROM");

    /// <summary>NVIDIA B200.</summary>
    public static readonly GpuModelSpec B200 = new("B200", 192, 1_000, 120, 400, 9_000, "97.00.b2.00.0a", "97.00.c1.00.02", "GB100 A01 GSP BROM");

    /// <summary>Every model.</summary>
    public static IReadOnlyList<GpuModelSpec> All { get; } = [H100, H200, B200];

    /// <summary>The model named <paramref name="name"/> (any case), if simulated.</summary>
    public static GpuModelSpec? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
