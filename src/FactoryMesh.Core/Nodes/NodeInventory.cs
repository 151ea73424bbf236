using FactoryMesh.Core.Validation;
using Orleans;

namespace FactoryMesh.Core.Nodes;

/// <summary>What a GPU node is and what it costs: reported by its site agent at registration.</summary>
/// <param name="GpuModel">GPU model name (<c>H100</c>, <c>H200</c>, <c>B200</c>); models' tokens/s are keyed by it.</param>
/// <param name="GpuCount">GPUs in the node.</param>
/// <param name="GpuMemoryGiB">Memory of one GPU, GiB.</param>
/// <param name="TeeKind">The node's TEE, one of <see cref="TeeKinds"/>.</param>
/// <param name="PowerWatts">Power draw of the node at full load, watts.</param>
/// <param name="CostUsdPerHour">What the node costs to run, USD per hour, before energy.</param>
[GenerateSerializer, Immutable]
public sealed record NodeInventory(
    [property: Id(0)] string GpuModel,
    [property: Id(1)] int GpuCount,
    [property: Id(2)] double GpuMemoryGiB,
    [property: Id(3)] string TeeKind,
    [property: Id(4)] double PowerWatts,
    [property: Id(5)] double CostUsdPerHour)
{
    /// <summary>The most GPUs one node may report.</summary>
    public const int MaxGpuCount = 64;

    /// <summary>Total GPU memory of the node, GiB.</summary>
    public double TotalGpuMemoryGiB => GpuCount * GpuMemoryGiB;

    /// <summary>Adds every broken rule to <paramref name="errors"/>, under the API's field names.</summary>
    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.AddIf(!IsGpuModelName(GpuModel), "gpuModel", "Must be 1 to 32 letters, digits, '-' or '_', e.g. 'H100'.");
        errors.AddIf(GpuCount is < 1 or > MaxGpuCount, "gpuCount", $"Must be between 1 and {MaxGpuCount}.");
        errors.AddIf(!double.IsFinite(GpuMemoryGiB) || GpuMemoryGiB <= 0 || GpuMemoryGiB > 4096, "gpuMemoryGiB", "Must be more than 0 and at most 4096 GiB.");
        errors.AddIf(!TeeKinds.All.Contains(TeeKind), "teeKind", $"Must be one of {TeeKinds.Listed}.");
        errors.AddIf(!double.IsFinite(PowerWatts) || PowerWatts <= 0 || PowerWatts > 100_000, "powerWatts", "Must be more than 0 and at most 100000 W.");
        errors.AddIf(!double.IsFinite(CostUsdPerHour) || CostUsdPerHour < 0 || CostUsdPerHour > 10_000, "costUsdPerHour", "Must be between 0 and 10000 USD per hour.");
    }

    /// <summary>True when <paramref name="name"/> is a GPU model name: 1 to 32 letters, digits, '-' or '_'.</summary>
    public static bool IsGpuModelName(string? name) =>
        name is { Length: >= 1 and <= 32 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
