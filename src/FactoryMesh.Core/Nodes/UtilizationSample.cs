using FactoryMesh.Core.Validation;
using Orleans;

namespace FactoryMesh.Core.Nodes;

/// <summary>One heartbeat's measurements of a node.</summary>
/// <param name="GpuUtilization">Mean GPU utilization, 0 to 1.</param>
/// <param name="GpuMemoryUsedGiB">GPU memory in use over all GPUs, GiB.</param>
/// <param name="PowerWatts">Power drawn now, watts.</param>
/// <param name="TokensPerSecond">Tokens generated per second over all replicas on the node.</param>
/// <param name="At">When the control plane received it.</param>
[GenerateSerializer, Immutable]
public sealed record UtilizationSample(
    [property: Id(0)] double GpuUtilization,
    [property: Id(1)] double GpuMemoryUsedGiB,
    [property: Id(2)] double PowerWatts,
    [property: Id(3)] double TokensPerSecond,
    [property: Id(4)] DateTimeOffset At)
{
    /// <summary>Adds every broken rule to <paramref name="errors"/>, each field name prefixed by <paramref name="path"/>.</summary>
    public void Validate(ValidationErrors errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(!double.IsFinite(GpuUtilization) || GpuUtilization is < 0 or > 1, $"{path}gpuUtilization", "Must be between 0 and 1.");
        errors.AddIf(!double.IsFinite(GpuMemoryUsedGiB) || GpuMemoryUsedGiB < 0, $"{path}gpuMemoryUsedGiB", "Must not be negative.");
        errors.AddIf(!double.IsFinite(PowerWatts) || PowerWatts < 0, $"{path}powerWatts", "Must not be negative.");
        errors.AddIf(!double.IsFinite(TokensPerSecond) || TokensPerSecond < 0, $"{path}tokensPerSecond", "Must not be negative.");
    }
}
