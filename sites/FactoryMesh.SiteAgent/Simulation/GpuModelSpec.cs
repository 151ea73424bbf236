namespace FactoryMesh.SiteAgent.Simulation;

/// <summary>What a simulated GPU model is like.</summary>
/// <param name="Name">The model name the control plane keys throughput by (<c>H100</c>).</param>
/// <param name="MemoryGiB">Memory of one GPU, GiB.</param>
/// <param name="PeakWatts">Board power at full load (TDP), watts.</param>
/// <param name="IdleWatts">Board power idling with a model loaded, watts.</param>
/// <param name="HostWattsPerGpu">Share of the host (CPUs, NICs, switches, fans) per GPU at full load, watts.</param>
/// <param name="TokensPerSecondPerGpu">Decode throughput of one GPU at full load on a 70B-class model, tokens per second.</param>
/// <param name="Firmware">The GPU firmware version the simulated devices measure.</param>
/// <param name="Vbios">The VBIOS version the simulated devices measure.</param>
/// <param name="HwModel">The chip NVIDIA's verifiers name in <c>hwmodel</c> (an H200 is a GH100 too).</param>
internal sealed record GpuModelSpec(
    string Name,
    double MemoryGiB,
    double PeakWatts,
    double IdleWatts,
    double HostWattsPerGpu,
    double TokensPerSecondPerGpu,
    string Firmware,
    string Vbios,
    string HwModel)
{
    /// <summary>A whole node's power at full load with <paramref name="gpuCount"/> GPUs, watts: what it registers.</summary>
    public double NodePeakWatts(int gpuCount) => gpuCount * (PeakWatts + HostWattsPerGpu);
}
