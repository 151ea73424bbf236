namespace FactoryMesh.SiteAgent.Hardware;

/// <summary>One GPU as nvidia-smi reports it; a figure it could not give (<c>[N/A]</c>) is null.</summary>
/// <param name="Index">The GPU's index on the host.</param>
/// <param name="Uuid">Its UUID (<c>GPU-…</c>).</param>
/// <param name="Name">Its marketing name (<c>NVIDIA H100 80GB HBM3</c>).</param>
/// <param name="MemoryTotalMiB">Its memory, MiB.</param>
/// <param name="MemoryUsedMiB">Memory in use, MiB.</param>
/// <param name="UtilizationPercent">Utilization, percent.</param>
/// <param name="PowerDrawWatts">Power drawn now, watts.</param>
/// <param name="PowerLimitWatts">Its power limit, watts.</param>
internal sealed record GpuReading(
    int Index,
    string Uuid,
    string Name,
    double? MemoryTotalMiB,
    double? MemoryUsedMiB,
    double? UtilizationPercent,
    double? PowerDrawWatts,
    double? PowerLimitWatts);
